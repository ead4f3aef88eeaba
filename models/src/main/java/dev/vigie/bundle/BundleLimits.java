package dev.vigie.bundle;

/**
 * Caps applied while reading a bundle, so that a hostile one costs bounded memory, disk and time.
 *
 * @param maxManifestBytes size cap of manifest.json and of manifest.sig
 * @param maxTotalBytes    cap on the sum of file sizes (tar entries, or files found in a directory)
 * @param maxEntries       cap on the number of files and directories
 */
public record BundleLimits(long maxManifestBytes, long maxTotalBytes, int maxEntries) {
    /** 16 MiB of manifest, 4 GiB of models and tables, 10,000 entries: far above any real bundle. */
    public static final BundleLimits DEFAULT = new BundleLimits(16L << 20, 4L << 30, 10_000);

    public BundleLimits {
        if (maxManifestBytes < 1 || maxTotalBytes < 0 || maxEntries < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }
}
