package dev.vigie.training;

/** The scoring model kinds a bundle may hold; {@link #id()} is the name written into bundles. */
public enum ModelKind {
    ISOLATION_FOREST("isolation_forest", "iforest"),
    KMEANS("kmeans", "kmeans");

    private final String id;
    private final String shortName;

    ModelKind(String id, String shortName) {
        this.id = id;
        this.shortName = shortName;
    }

    public String id() {
        return id;
    }

    public String shortName() {
        return shortName;
    }

    public static ModelKind of(String id) {
        for (ModelKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown model kind " + id);
    }
}
