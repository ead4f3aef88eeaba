package dev.vigie.training.iforest;

import dev.vigie.training.features.Sampling;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Grows an isolation forest (Liu, Ting, Zhou 2008, algorithms 1 and 2). Each tree gets its own generator split off
 * one seeded {@link SplittableRandom} in tree order, so the forest depends only on the data and the seed.
 * <p>
 * At a node the attribute is drawn among those that still vary there (drawing a constant one would make a
 * useless node, and the paper's q is meant to be splittable); the split value is uniform in [min, max) of that
 * attribute, nudged to the next float above min so that neither side is empty after the float comparison.
 */
public final class IsolationForestTrainer {
    private final IsolationForestConfig config;

    public IsolationForestTrainer(IsolationForestConfig config) {
        this.config = config;
    }

    public IsolationForestConfig config() {
        return config;
    }

    /** Trains on the rows {@code rows} of the row-major matrix {@code x} of the given width. */
    public IsolationForest train(float[] x, int width, int[] rows) {
        if (rows.length < 2) {
            throw new IllegalArgumentException("an isolation forest needs at least 2 rows, got " + rows.length);
        }
        int psi = Math.min(config.sampleSize(), rows.length);
        int limit = IsolationForestConfig.heightLimit(psi);
        SplittableRandom root = new SplittableRandom(config.seed());
        List<IsolationTree> trees = new ArrayList<>(config.trees());
        for (int t = 0; t < config.trees(); t++) {
            SplittableRandom rnd = root.split();
            int[] sample = Sampling.withoutReplacement(rows, psi, rnd);
            trees.add(new Builder(x, width, rnd, limit).build(sample));
        }
        return new IsolationForest(width, psi, trees);
    }

    private static final class Builder {
        final float[] x;
        final int width;
        final SplittableRandom rnd;
        final int limit;
        int[] feature = new int[64];
        float[] threshold = new float[64];
        int[] left = new int[64];
        int[] right = new int[64];
        float[] leaf = new float[64];
        int[] mass = new int[64];
        int size;
        final int[] order;

        Builder(float[] x, int width, SplittableRandom rnd, int limit) {
            this.x = x;
            this.width = width;
            this.rnd = rnd;
            this.limit = limit;
            this.order = new int[width];
        }

        IsolationTree build(int[] sample) {
            grow(sample, 0, sample.length, 0);
            return new IsolationTree(Arrays.copyOf(feature, size), Arrays.copyOf(threshold, size),
                    Arrays.copyOf(left, size), Arrays.copyOf(right, size), Arrays.copyOf(leaf, size),
                    Arrays.copyOf(mass, size));
        }

        int newNode() {
            if (size == feature.length) {
                int cap = size * 2;
                feature = Arrays.copyOf(feature, cap);
                threshold = Arrays.copyOf(threshold, cap);
                left = Arrays.copyOf(left, cap);
                right = Arrays.copyOf(right, cap);
                leaf = Arrays.copyOf(leaf, cap);
                mass = Arrays.copyOf(mass, cap);
            }
            return size++;
        }

        /** Grows the subtree of rows idx[from, to) at depth {@code depth}; returns its node id. */
        int grow(int[] idx, int from, int to, int depth) {
            int node = newNode();
            int n = to - from;
            mass[node] = n;
            if (depth >= limit || n <= 1) {
                return makeLeaf(node, n, depth);
            }
            for (int i = 0; i < width; i++) {
                order[i] = i;
            }
            // Draw attributes without replacement until one varies among these rows.
            for (int remaining = width; remaining > 0; remaining--) {
                int k = rnd.nextInt(remaining);
                int q = order[k];
                order[k] = order[remaining - 1];
                order[remaining - 1] = q;
                float min = Float.POSITIVE_INFINITY;
                float max = Float.NEGATIVE_INFINITY;
                for (int i = from; i < to; i++) {
                    float v = x[idx[i] * width + q];
                    if (v < min) {
                        min = v;
                    }
                    if (v > max) {
                        max = v;
                    }
                }
                if (!(max > min)) {
                    continue;
                }
                float p = (float) (min + rnd.nextDouble() * ((double) max - min));
                if (!(p > min)) {
                    p = Math.nextUp(min);
                }
                int mid = partition(idx, from, to, q, p);
                feature[node] = q;
                threshold[node] = p;
                leaf[node] = 0;
                int l = grow(idx, from, mid, depth + 1);
                int r = grow(idx, mid, to, depth + 1);
                left[node] = l;
                right[node] = r;
                return node;
            }
            return makeLeaf(node, n, depth);
        }

        int makeLeaf(int node, int n, int depth) {
            feature[node] = -1;
            threshold[node] = 0;
            left[node] = -1;
            right[node] = -1;
            leaf[node] = (float) (depth + IsolationForest.c(n));
            return node;
        }

        /** Moves rows with x[q] < p to the front of [from, to); returns the first index of the rest. */
        int partition(int[] idx, int from, int to, int q, float p) {
            int i = from;
            int j = to - 1;
            while (i <= j) {
                if (x[idx[i] * width + q] < p) {
                    i++;
                } else {
                    int t = idx[i];
                    idx[i] = idx[j];
                    idx[j] = t;
                    j--;
                }
            }
            return i;
        }
    }
}
