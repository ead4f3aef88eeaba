package dev.vigie.training.onnx;

import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.tribuo.util.onnx.ONNXAttribute;
import org.tribuo.util.onnx.ONNXOperator;

/**
 * ONNX operators that Tribuo's {@code ONNXOperators} (opset 13) does not define but our graphs need. Versions are
 * the opsets imported by {@link OnnxModels}: default domain 13, {@code ai.onnx.ml} 3.
 */
public enum VigieOps implements ONNXOperator {
    /** Element-wise square root. */
    SQRT("Sqrt", 1, 1, null, List.of()),
    /** Element-wise test for NaN (boolean output). */
    IS_NAN("IsNaN", 1, 1, null, List.of()),
    /** Element-wise maximum of its inputs, with broadcasting. */
    MAX("Max", ONNXAttribute.VARIADIC_INPUT, 1, null, List.of()),
    /**
     * {@code ai.onnx.ml} TreeEnsembleRegressor (version 3; only the attributes we write are declared). Nodes are
     * parallel arrays keyed by (tree id, node id); leaves carry target weights that the aggregate combines.
     */
    TREE_ENSEMBLE_REGRESSOR("TreeEnsembleRegressor", 1, 1, OnnxModels.ML_DOMAIN, List.of(
            new ONNXAttribute("aggregate_function", AttributeType.STRING, false),
            new ONNXAttribute("n_targets", AttributeType.INT, true),
            new ONNXAttribute("nodes_falsenodeids", AttributeType.INTS, true),
            new ONNXAttribute("nodes_featureids", AttributeType.INTS, true),
            new ONNXAttribute("nodes_modes", AttributeType.STRINGS, true),
            new ONNXAttribute("nodes_nodeids", AttributeType.INTS, true),
            new ONNXAttribute("nodes_treeids", AttributeType.INTS, true),
            new ONNXAttribute("nodes_truenodeids", AttributeType.INTS, true),
            new ONNXAttribute("nodes_values", AttributeType.FLOATS, true),
            new ONNXAttribute("post_transform", AttributeType.STRING, false),
            new ONNXAttribute("target_ids", AttributeType.INTS, true),
            new ONNXAttribute("target_nodeids", AttributeType.INTS, true),
            new ONNXAttribute("target_treeids", AttributeType.INTS, true),
            new ONNXAttribute("target_weights", AttributeType.FLOATS, true)));

    private final String opName;
    private final int inputs;
    private final int outputs;
    private final String domain;
    private final Map<String, ONNXAttribute> attributes;
    private final Set<String> mandatory;

    VigieOps(String opName, int inputs, int outputs, String domain, List<ONNXAttribute> attrs) {
        this.opName = opName;
        this.inputs = inputs;
        this.outputs = outputs;
        this.domain = domain;
        Map<String, ONNXAttribute> m = new LinkedHashMap<>();
        Set<String> req = new TreeSet<>();
        for (ONNXAttribute a : attrs) {
            m.put(a.getName(), a);
            if (a.isMandatory()) {
                req.add(a.getName());
            }
        }
        this.attributes = Collections.unmodifiableMap(m);
        this.mandatory = Collections.unmodifiableSet(req);
    }

    @Override
    public String getOpName() {
        return opName;
    }

    @Override
    public int getNumInputs() {
        return inputs;
    }

    @Override
    public int getNumOptionalInputs() {
        return 0;
    }

    @Override
    public int getNumOutputs() {
        return outputs;
    }

    @Override
    public Map<String, ONNXAttribute> getAttributes() {
        return attributes;
    }

    @Override
    public Set<String> getMandatoryAttributeNames() {
        return mandatory;
    }

    @Override
    public int getOpVersion() {
        return domain == null ? OnnxModels.DEFAULT_OPSET : OnnxModels.ML_OPSET;
    }

    @Override
    public String getOpDomain() {
        return domain;
    }
}
