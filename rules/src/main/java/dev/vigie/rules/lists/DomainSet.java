package dev.vigie.rules.lists;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * An immutable set of DNS names. A listed name matches itself and every name under it ("example.com" matches
 * "a.example.com"), the way IOC and allow lists are meant. A lookup hashes each suffix of the name: O(labels).
 */
public final class DomainSet {
    public static final DomainSet EMPTY = new DomainSet(Set.of());
    private static final int MAX_NAME = 253;

    private final Set<String> names;

    private DomainSet(Set<String> names) {
        this.names = names;
    }

    public int size() {
        return names.size();
    }

    public boolean contains(String name) {
        if (name == null || names.isEmpty() || name.isEmpty() || name.length() > MAX_NAME + 1) return false;
        String n = normalise(name);
        if (n == null) return false;
        int from = 0;
        while (true) {
            if (names.contains(from == 0 ? n : n.substring(from))) return true;
            int dot = n.indexOf('.', from);
            if (dot < 0) return false;
            from = dot + 1;
        }
    }

    /** Lower case, no trailing dot; null when empty or not name-like. */
    static String normalise(String name) {
        String n = name.trim();
        if (n.endsWith(".")) n = n.substring(0, n.length() - 1);
        if (n.startsWith("*.")) n = n.substring(2);
        if (n.isEmpty() || n.length() > MAX_NAME) return null;
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '.' || c == '_';
            if (!ok) return null;
        }
        if (n.startsWith(".") || n.contains("..")) return null;
        return n.toLowerCase(Locale.ROOT);
    }

    public static final class Builder {
        private final Set<String> names = new HashSet<>();

        public boolean add(String entry) {
            String n = normalise(entry);
            if (n == null) return false;
            names.add(n);
            return true;
        }

        public DomainSet build() {
            return names.isEmpty() ? EMPTY : new DomainSet(Set.copyOf(names));
        }
    }
}
