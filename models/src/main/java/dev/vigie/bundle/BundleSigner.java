package dev.vigie.bundle;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Signs a bundle directory: an Ed25519 signature over the canonical bytes of its manifest.json, written to
 * manifest.sig (atomically). Before signing it runs the verifier's integrity checks (paths, links, missing and
 * extra files, hashes), so a signature always vouches for a manifest that describes the directory as it is.
 */
public final class BundleSigner {
    private BundleSigner() {
    }

    /**
     * @param publicKey the public half of {@code privateKey}; it gives the key id, and the fresh signature is
     *                  checked with it so that a mismatched pair of key files fails here rather than on sensors
     */
    public static ManifestSignature sign(Path bundleDir, PrivateKey privateKey, PublicKey publicKey)
            throws IOException, BundleRejected {
        if (!Files.isDirectory(bundleDir)) {
            throw new IOException(bundleDir + ": not a directory (sign the bundle directory, then pack it)");
        }
        Path root = bundleDir.toRealPath();
        byte[] bytes = BundleVerifier.readSmall(root, BundlePaths.MANIFEST, BundleRejected.Reason.MISSING_FILE,
                BundleRejected.Reason.MALFORMED_MANIFEST, BundleLimits.DEFAULT);
        JsonNode tree = ManifestJson.parseTree(bytes, BundlePaths.MANIFEST);
        ManifestJson.checkFormat(tree);
        byte[] canonical = ManifestJson.canonical(tree, BundlePaths.MANIFEST);
        BundleManifest manifest = ManifestJson.bind(canonical, BundleManifest.class, BundlePaths.MANIFEST);
        BundleVerifier.checkContents(root, manifest);

        byte[] signature;
        try {
            Signature signer = Signature.getInstance(Ed25519Keys.ALGORITHM);
            signer.initSign(privateKey);
            signer.update(canonical);
            signature = signer.sign();
            Signature check = Signature.getInstance(Ed25519Keys.ALGORITHM);
            check.initVerify(publicKey);
            check.update(canonical);
            if (!check.verify(signature)) {
                throw new IllegalArgumentException("the private key and the public key are not a pair");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
        }
        ManifestSignature sig = new ManifestSignature(ManifestSignature.ED25519, Ed25519Keys.keyId(publicKey),
                Base64.getEncoder().encodeToString(signature));
        AtomicFiles.write(root.resolve(BundlePaths.SIGNATURE), ManifestJson.canonicalBytes(sig),
                AtomicFiles.WORLD_READABLE);
        return sig;
    }
}
