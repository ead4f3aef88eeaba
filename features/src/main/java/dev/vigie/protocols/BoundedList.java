package dev.vigie.protocols;

/**
 * A list column: at most {@link Text#MAX_ITEMS} items and {@link Text#MAX_LIST} chars, written as one string with
 * {@code ,} separators (items escape their own commas as {@code \x2c}). Items past a cap are dropped, and the
 * caller counts the truncation.
 */
final class BoundedList {
    private final String[] items;
    private int size;
    private int chars;

    BoundedList() {
        this(Text.MAX_ITEMS);
    }

    BoundedList(int maxItems) {
        items = new String[maxItems];
    }

    /** Adds {@code item}; false when a cap dropped it. */
    boolean add(String item) {
        if (size == items.length || chars + item.length() + (size > 0 ? 1 : 0) > Text.MAX_LIST) {
            return false;
        }
        chars += item.length() + (size > 0 ? 1 : 0);
        items[size++] = item;
        return true;
    }

    /** Adds {@code item} unless already present; false only when a cap dropped it. */
    boolean addDistinct(String item) {
        return contains(item) || add(item);
    }

    boolean contains(String item) {
        for (int i = 0; i < size; i++) {
            if (items[i].equals(item)) {
                return true;
            }
        }
        return false;
    }

    int size() {
        return size;
    }

    String get(int i) {
        return items[i];
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The joined list, or null when empty. */
    String joined() {
        if (size == 0) {
            return null;
        }
        if (size == 1) {
            return items[0];
        }
        StringBuilder sb = new StringBuilder(chars);
        for (int i = 0; i < size; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(items[i]);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        String s = joined();
        return s == null ? "" : s;
    }
}
