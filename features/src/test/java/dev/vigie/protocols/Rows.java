package dev.vigie.protocols;

import java.util.LinkedHashMap;
import java.util.Map;

/** Views of flow rows for assertions. */
final class Rows {
    private Rows() {}

    /** The protocol columns of a row (app_proto and after), in order. */
    static Map<String, Object> protocolColumns(Map<String, Object> row) {
        Map<String, Object> out = new LinkedHashMap<>();
        boolean on = false;
        for (Map.Entry<String, Object> e : row.entrySet()) {
            on |= e.getKey().equals("app_proto");
            if (on) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }
}
