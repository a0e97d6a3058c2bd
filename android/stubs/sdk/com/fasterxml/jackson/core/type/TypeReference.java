package com.fasterxml.jackson.core.type;
public abstract class TypeReference<T> {}
