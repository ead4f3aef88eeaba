package dev.vigie.protocols;

import dev.vigie.dlp.DlpAnalyzer;
import dev.vigie.features.FeatureAnalyzer;
import dev.vigie.features.FlowRow;
import dev.vigie.features.FlowSchema;
import dev.vigie.schema.Column;
import dev.vigie.schema.TableSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * The analyzers a default run uses, and the flow schema they produce: the one place {@code vigie extract},
 * {@code vigie schema} and the generated docs agree on.
 */
public final class ProtocolAnalyzers {
    private ProtocolAnalyzers() {}

    /** Fresh analyzer instances (they hold per-run state) in their registration order. */
    public static List<FeatureAnalyzer> standard() {
        return List.of(new ProtocolAnalyzer(), new DlpAnalyzer());
    }

    /** Base columns followed by the standard analyzers' columns. */
    public static TableSchema<FlowRow> standardSchema() {
        List<Column<FlowRow>> extra = new ArrayList<>();
        for (FeatureAnalyzer a : standard()) {
            extra.addAll(a.columns());
        }
        return FlowSchema.with(extra);
    }
}
