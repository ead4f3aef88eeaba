package dev.vigie.cli;

import dev.vigie.extract.FlowExtractor;
import dev.vigie.features.FeatureAnalyzer;
import dev.vigie.features.FlowRow;
import dev.vigie.features.FlowSchema;
import dev.vigie.flow.FlowConfig;
import dev.vigie.protocols.ProtocolAnalyzers;
import dev.vigie.schema.TableSchema;
import java.util.List;

/**
 * The analyzers every vigie command runs by default, hence the flow schema of this build: what `vigie extract`
 * writes, what `vigie train` learns from, and the schema hash that bundles must match.
 */
final class StandardPipeline {
    private StandardPipeline() {}

    /** A bad site secret or DLP settings file is the user's to fix: a usage error naming the file, not a crash. */
    static List<FeatureAnalyzer> analyzers() {
        try {
            return ProtocolAnalyzers.standard();
        } catch (IllegalArgumentException e) {
            throw new UserError(2, e.getMessage(), e);
        }
    }

    static TableSchema<FlowRow> schema() {
        return extractor(FlowConfig.DEFAULTS).schema();
    }

    static FlowExtractor extractor(FlowConfig config) {
        return FlowExtractor.withAnalyzers(config, analyzers());
    }

    /** The standard extractor with micro-batches of {@code batchRows} rows (the sensor). */
    static FlowExtractor extractor(FlowConfig config, int batchRows) {
        return FlowExtractor.withAnalyzers(config, analyzers(), batchRows);
    }
}
