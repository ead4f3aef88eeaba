package dev.vigie.bundle;

import java.util.regex.Pattern;

/**
 * The content of {@code manifest.sig}: a detached signature over the canonical bytes of manifest.json.
 *
 * @param algorithm always {@value #ED25519} for format 1
 * @param keyId     lower-case hex SHA-256 of the signer's raw 32-byte public key ({@link Ed25519Keys#keyId})
 * @param signature the 64-byte Ed25519 signature, standard base64 with padding
 */
public record ManifestSignature(String algorithm, String keyId, String signature) {
    public static final String ED25519 = "ed25519";
    static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{64}");

    public ManifestSignature {
        Manifests.requireText(algorithm, "algorithm");
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            throw new IllegalArgumentException("keyId must be 64 lower-case hex digits");
        }
        Manifests.requireText(signature, "signature");
    }
}
