package io.wdrf.backend.official;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts gson trees (client-java's dynamic objects) into the plain {@code Map/List/String/Number/Boolean} trees
 * the projector reads. Integral numbers become {@code Long} (or {@code BigDecimal} when out of range), others
 * {@code BigDecimal}, so no precision is lost.
 */
final class GsonTrees {

    private GsonTrees() {
    }

    static Map<String, Object> toMap(JsonObject o) {
        Map<String, Object> m = new LinkedHashMap<>(Math.max(4, o.size() * 2));
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            m.put(e.getKey(), toJava(e.getValue()));
        }
        return m;
    }

    static Object toJava(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonObject()) {
            return toMap(e.getAsJsonObject());
        }
        if (e.isJsonArray()) {
            JsonArray a = e.getAsJsonArray();
            List<Object> l = new ArrayList<>(a.size());
            for (JsonElement x : a) {
                l.add(toJava(x));
            }
            return l;
        }
        JsonPrimitive p = e.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isNumber()) {
            BigDecimal d = new BigDecimal(p.getAsString());
            try {
                return d.longValueExact();
            } catch (ArithmeticException notIntegral) {
                return d;
            }
        }
        return p.getAsString();
    }
}
