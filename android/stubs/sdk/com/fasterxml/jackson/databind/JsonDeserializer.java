package com.fasterxml.jackson.databind;
import com.fasterxml.jackson.core.JsonParser;
public abstract class JsonDeserializer<T> {
    public abstract T deserialize(JsonParser p, DeserializationContext ctxt);
}
