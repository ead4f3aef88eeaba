package dev.vigie.protocols;

/**
 * The fields of one ClientHello that fingerprints need, as scratch arrays reused from flow to flow (one instance
 * per analyzer). Lists keep wire order and GREASE values; consumers filter. A list longer than its array is cut
 * (and {@link #cut} set): real clients stay far below the caps.
 */
final class ClientHello {
    int legacyVersion;
    final int[] ciphers = new int[256];
    int cipherCount;
    final int[] extensions = new int[128];
    int extensionCount;
    final int[] groups = new int[128];
    int groupCount;
    final int[] pointFormats = new int[32];
    int pointFormatCount;
    final int[] sigAlgs = new int[128];
    int sigAlgCount;
    final int[] versions = new int[64];
    int versionCount;
    boolean hasSupportedVersions;
    boolean sniPresent;
    /** First ALPN value, as bytes in the buffer the hello was parsed from (length -1: no ALPN value). */
    byte[] alpnBuf;
    int alpnOff;
    int alpnLen = -1;
    boolean cut;

    void reset() {
        legacyVersion = 0;
        cipherCount = extensionCount = groupCount = pointFormatCount = sigAlgCount = versionCount = 0;
        hasSupportedVersions = false;
        sniPresent = false;
        alpnBuf = null;
        alpnOff = 0;
        alpnLen = -1;
        cut = false;
    }

    int addCipher(int v) {
        return cipherCount < ciphers.length ? (ciphers[cipherCount++] = v) : cut();
    }

    int addExtension(int v) {
        return extensionCount < extensions.length ? (extensions[extensionCount++] = v) : cut();
    }

    int addGroup(int v) {
        return groupCount < groups.length ? (groups[groupCount++] = v) : cut();
    }

    int addPointFormat(int v) {
        return pointFormatCount < pointFormats.length ? (pointFormats[pointFormatCount++] = v) : cut();
    }

    int addSigAlg(int v) {
        return sigAlgCount < sigAlgs.length ? (sigAlgs[sigAlgCount++] = v) : cut();
    }

    int addVersion(int v) {
        return versionCount < versions.length ? (versions[versionCount++] = v) : cut();
    }

    private int cut() {
        cut = true;
        return 0;
    }

    /** JA4's version: the highest non-GREASE supported_versions entry, else the legacy version. */
    int maxVersion() {
        if (!hasSupportedVersions) {
            return legacyVersion;
        }
        int max = -1;
        for (int i = 0; i < versionCount; i++) {
            int v = versions[i];
            if (!TlsVersions.isGrease(v) && v > max) {
                max = v;
            }
        }
        return max < 0 ? legacyVersion : max;
    }
}
