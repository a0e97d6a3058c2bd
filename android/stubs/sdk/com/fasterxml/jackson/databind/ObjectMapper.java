package com.fasterxml.jackson.databind;
import com.fasterxml.jackson.core.type.TypeReference;
public class ObjectMapper {
    public <T> T readValue(String content, Class<T> valueType) { return null; }
    public <T> T readValue(String content, TypeReference<T> valueTypeRef) { return null; }
    public String writeValueAsString(Object value) { return ""; }
}
