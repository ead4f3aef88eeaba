package dev.vigie.training.iforest;

/**
 * One isolation tree as parallel arrays, node 0 the root. An internal node sends {@code x[feature] < threshold}
 * left, anything else right, compared in float exactly as ONNX Runtime's BRANCH_LT does. A leaf holds the path
 * length it stands for: its depth plus c(size), the expected depth of the unbuilt subtree below it.
 *
 * @param feature   input index tested at each internal node; -1 at leaves
 * @param threshold split value at each internal node
 * @param left      child taken when {@code x < threshold}; -1 at leaves
 * @param right     child taken otherwise; -1 at leaves
 * @param leafValue path length at leaves (float, as ONNX stores target weights); 0 at internal nodes
 * @param mass      training rows (of the tree's sub-sample) that reached each node: which side of a split the
 *                  benign traffic mostly takes, which the ONNX export uses to lay the tree out for the CPU
 */
public record IsolationTree(int[] feature, float[] threshold, int[] left, int[] right, float[] leafValue,
                            int[] mass) {
    public int nodes() {
        return feature.length;
    }

    public boolean isLeaf(int node) {
        return feature[node] < 0;
    }

    public float pathLength(float[] x, int offset) {
        int n = 0;
        while (feature[n] >= 0) {
            n = x[offset + feature[n]] < threshold[n] ? left[n] : right[n];
        }
        return leafValue[n];
    }
}
