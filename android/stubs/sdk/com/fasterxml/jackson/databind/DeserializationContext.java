package com.fasterxml.jackson.databind;
import com.fasterxml.jackson.core.JsonParser;
public abstract class DeserializationContext {
    public <T> T readValue(JsonParser p, Class<T> type) { return null; }
}
