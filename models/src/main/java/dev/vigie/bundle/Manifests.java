package dev.vigie.bundle;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/** Argument checks shared by the manifest records; failures become MALFORMED_MANIFEST when read from a file. */
final class Manifests {
    private Manifests() {
    }

    static <T> T require(T value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        return value;
    }

    static String requireText(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(what + " is missing or blank");
        }
        return value;
    }

    /** Sorted so that iteration order (and so inspect's output) does not depend on how the map was built. */
    static Map<String, Double> finiteMap(Map<String, Double> m, String what) {
        require(m, what);
        TreeMap<String, Double> copy = new TreeMap<>();
        for (Map.Entry<String, Double> e : m.entrySet()) {
            requireText(e.getKey(), "a key of " + what);
            Double v = e.getValue();
            if (v == null || !Double.isFinite(v)) {
                throw new IllegalArgumentException(what + ": " + e.getKey() + " is not a finite number");
            }
            copy.put(e.getKey(), v);
        }
        return Collections.unmodifiableMap(copy);
    }
}
