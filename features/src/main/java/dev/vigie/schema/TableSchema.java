package dev.vigie.schema;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * An ordered list of columns for one kind of row (flows, alerts, assets): the Arrow schema, the Markdown docs and
 * the schema hash all come from it.
 */
public final class TableSchema<S> {
    private final String name;
    private final List<Column<S>> columns;
    private final Schema arrowSchema;
    private final String hash;

    public TableSchema(String name, List<Column<S>> columns) {
        this.name = name;
        this.columns = List.copyOf(columns);
        Set<String> seen = new HashSet<>();
        List<Field> fields = new ArrayList<>();
        for (Column<S> c : this.columns) {
            if (!seen.add(c.name())) {
                throw new IllegalArgumentException("duplicate column " + c.name());
            }
            fields.add(c.field());
        }
        this.arrowSchema = new Schema(fields);
        this.hash = computeHash();
    }

    public String name() {
        return name;
    }

    public List<Column<S>> columns() {
        return columns;
    }

    public Schema arrowSchema() {
        return arrowSchema;
    }

    /**
     * SHA-256 (hex) over "name type unit" of every column in order. Model bundles pin it: a model trained on one
     * feature layout must not score rows of another. Descriptions are left out so that fixing a sentence does not
     * invalidate bundles.
     */
    public String hash() {
        return hash;
    }

    private String computeHash() {
        StringBuilder sb = new StringBuilder(name).append('\n');
        for (Column<S> c : columns) {
            sb.append(c.name()).append(' ').append(c.typeName()).append(' ').append(c.unit()).append('\n');
        }
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The column reference as Markdown: one table row per column (name, type, unit, meaning). */
    public String markdownTable() {
        StringBuilder sb = new StringBuilder();
        sb.append("| # | column | type | unit | meaning |\n|---|---|---|---|---|\n");
        int i = 1;
        for (Column<S> c : columns) {
            sb.append("| ").append(i++).append(" | `").append(c.name()).append("` | ").append(c.typeName())
                    .append(" | ").append(c.unit()).append(" | ").append(c.description().replace("|", "\\|"))
                    .append(" |\n");
        }
        return sb.toString();
    }
}
