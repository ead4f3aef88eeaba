package dev.vigie.bundle;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Decides whether a bundle (a directory, or the same as a ustar file) may be loaded. Immutable and thread-safe;
 * configure once with the trust store and rollback state.
 * <p>
 * The order is part of the security argument (docs/bundle.md, "Verification order"):
 * <ol>
 *   <li>a tar is unpacked into a private directory, refusing links, devices, {@code ..} and absolute names;</li>
 *   <li>manifest.json and manifest.sig are read (regular files only, size-capped): nothing else is read before the
 *       signature is checked;</li>
 *   <li>the signer's key id must be in the trust store; only then is the manifest parsed, canonicalised and the
 *       Ed25519 signature checked over the canonical bytes;</li>
 *   <li>now authentic: the format version, then the typed manifest;</li>
 *   <li>every listed path is checked syntactically before any file is touched; the tree is walked without
 *       following links (any link or device refuses the bundle); missing, then extra files are refused; every
 *       file's size and SHA-256 is recomputed;</li>
 *   <li>policy: the feature-schema hash, then the rollback state, which is updated last, only on success.</li>
 * </ol>
 * Models are typed data, so the typed manifest is bound from the canonical bytes that were verified, never from
 * the raw file: what was signed is exactly what is used.
 */
public final class BundleVerifier {
    private final TrustStore trust;
    private final RollbackState state;
    private final BundleLimits limits;
    private final Path workDir;

    public BundleVerifier(TrustStore trust, RollbackState state) {
        this(trust, state, BundleLimits.DEFAULT, Path.of(System.getProperty("java.io.tmpdir")));
    }

    /** {@code workDir} is where tar bundles are extracted (in a fresh 0700 directory each time). */
    public BundleVerifier(TrustStore trust, RollbackState state, BundleLimits limits, Path workDir) {
        this.trust = Objects.requireNonNull(trust);
        this.state = Objects.requireNonNull(state);
        this.limits = Objects.requireNonNull(limits);
        this.workDir = Objects.requireNonNull(workDir);
    }

    /** All checks, with the feature-schema hash of this build's extractor. */
    public static VerifiedBundle verify(Path bundleDirOrTar, TrustStore trust, String expectedFeatureSchemaHash,
                                        RollbackState state) throws BundleRejected {
        return new BundleVerifier(trust, state).verify(bundleDirOrTar, expectedFeatureSchemaHash);
    }

    public VerifiedBundle verify(Path bundleDirOrTar, String expectedFeatureSchemaHash) throws BundleRejected {
        Objects.requireNonNull(expectedFeatureSchemaHash,
                "expectedFeatureSchemaHash; call verifyWithoutSchemaCheck to skip that check explicitly");
        return run(bundleDirOrTar, expectedFeatureSchemaHash.toLowerCase(Locale.ROOT));
    }

    /**
     * HOOK (issue 5): every check except the feature-schema hash, for callers that do not know this build's schema
     * hash yet (the features module's FeatureSchema is not written). The result says {@code schemaChecked() ==
     * false}. Remove once the sensor can always pass the hash.
     */
    public VerifiedBundle verifyWithoutSchemaCheck(Path bundleDirOrTar) throws BundleRejected {
        return run(bundleDirOrTar, null);
    }

    private VerifiedBundle run(Path bundle, String expectedSchemaHash) throws BundleRejected {
        String name = bundle.toString();
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(bundle, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new BundleRejected(BundleRejected.Reason.UNREADABLE, name, "no such file or directory", e);
        } catch (IOException e) {
            throw new BundleRejected(BundleRejected.Reason.UNREADABLE, name, String.valueOf(e.getMessage()), e);
        }
        if (attrs.isDirectory()) {
            Path root;
            try {
                root = bundle.toRealPath();
            } catch (IOException e) {
                throw new BundleRejected(BundleRejected.Reason.UNREADABLE, name, String.valueOf(e.getMessage()), e);
            }
            return verifyDirectory(root, expectedSchemaHash, false);
        }
        if (!attrs.isRegularFile()) {
            throw new BundleRejected(BundleRejected.Reason.UNREADABLE, name, "neither a directory nor a tar file");
        }
        Path dir;
        try {
            Files.createDirectories(workDir);
            dir = Files.createTempDirectory(workDir, "vigie-bundle-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new BundleRejected(BundleRejected.Reason.UNREADABLE, workDir.toString(),
                    "cannot create extraction directory: " + e.getMessage(), e);
        }
        boolean ok = false;
        try {
            try {
                BundleTar.extract(bundle, dir, limits);
            } catch (IOException e) {
                throw new BundleRejected(BundleRejected.Reason.UNREADABLE, name, String.valueOf(e.getMessage()), e);
            }
            VerifiedBundle verified = verifyDirectory(dir, expectedSchemaHash, true);
            ok = true;
            return verified;
        } finally {
            if (!ok) {
                try {
                    VerifiedBundle.deleteTree(dir);
                } catch (IOException ignored) {
                    // The rejection matters more than a leftover private temporary directory.
                }
            }
        }
    }

    private VerifiedBundle verifyDirectory(Path root, String expectedSchemaHash, boolean extracted)
            throws BundleRejected {
        byte[] manifestBytes = readSmall(root, BundlePaths.MANIFEST, BundleRejected.Reason.MISSING_FILE,
                BundleRejected.Reason.MALFORMED_MANIFEST);
        byte[] sigBytes = readSmall(root, BundlePaths.SIGNATURE, BundleRejected.Reason.NO_SIGNATURE,
                BundleRejected.Reason.BAD_SIGNATURE);
        ManifestSignature sig = parseSignature(sigBytes);
        TrustStore.TrustedKey key = trust.find(sig.keyId()).orElseThrow(() -> new BundleRejected(
                BundleRejected.Reason.UNTRUSTED_KEY, BundlePaths.SIGNATURE, "signed by key " + sig.keyId()
                + ", which is not among the " + trust.size() + " trusted key(s)"));
        JsonNode tree = ManifestJson.parseTree(manifestBytes, BundlePaths.MANIFEST);
        byte[] canonical = ManifestJson.canonical(tree, BundlePaths.MANIFEST);
        checkSignature(key, canonical, sig);

        ManifestJson.checkFormat(tree);
        BundleManifest manifest = ManifestJson.bind(canonical, BundleManifest.class, BundlePaths.MANIFEST);
        checkContents(root, manifest);

        if (expectedSchemaHash != null && !expectedSchemaHash.equals(manifest.featureSchemaHash())) {
            throw new BundleRejected(BundleRejected.Reason.SCHEMA_MISMATCH, BundlePaths.MANIFEST,
                    "models were trained with feature schema " + manifest.featureSchemaHash()
                    + " but this build's extractor has " + expectedSchemaHash);
        }
        String manifestSha = hex(sha256().digest(canonical));
        state.admit(manifest.site(), manifest.bundleVersion(), manifestSha);
        return new VerifiedBundle(manifest, root, manifestSha, key, expectedSchemaHash != null, extracted);
    }

    /**
     * The integrity checks that need no key: paths, the directory walk, missing and extra files, sizes and hashes.
     * Also run by the signer, so that nobody signs a manifest that does not describe the directory.
     */
    static void checkContents(Path root, BundleManifest manifest) throws BundleRejected {
        for (String p : manifest.files().keySet()) {
            BundlePaths.checkRelative(p);
            if (BundlePaths.isReserved(p)) {
                throw new BundleRejected(BundleRejected.Reason.MALFORMED_MANIFEST, p,
                        "the manifest cannot list itself or its signature");
            }
        }
        Map<String, BasicFileAttributes> found = walk(root);
        for (String listed : manifest.files().keySet()) {
            if (!found.containsKey(listed)) {
                throw new BundleRejected(BundleRejected.Reason.MISSING_FILE, listed,
                        "listed in the manifest but not in the bundle");
            }
        }
        for (String present : found.keySet()) {
            if (!manifest.files().containsKey(present)) {
                throw new BundleRejected(BundleRejected.Reason.EXTRA_FILE, present,
                        "in the bundle but not listed in the manifest");
            }
        }
        for (Map.Entry<String, FileEntry> e : manifest.files().entrySet()) {
            checkHash(root.resolve(e.getKey()), e.getKey(), e.getValue(), found.get(e.getKey()).size());
        }
    }

    /** Regular files below {@code root} by relative path, except manifest.json and manifest.sig at the top. */
    private static Map<String, BasicFileAttributes> walk(Path root) throws BundleRejected {
        Map<String, BasicFileAttributes> found = new TreeMap<>();
        BundleRejected[] refused = new BundleRejected[1];
        try {
            // No FOLLOW_LINKS: a link is reported as itself, never entered or read through.
            Files.walkFileTree(root, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            String rel = BundlePaths.relative(root, file);
                            if (attrs.isSymbolicLink()) {
                                return refuse(file, "symbolic link");
                            }
                            if (!attrs.isRegularFile()) {
                                return refuse(file, "not a regular file (device, fifo or socket)");
                            }
                            if (!rel.equals(BundlePaths.MANIFEST) && !rel.equals(BundlePaths.SIGNATURE)) {
                                found.put(rel, attrs);
                            }
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path file, IOException exc) {
                            refused[0] = new BundleRejected(BundleRejected.Reason.UNREADABLE,
                                    BundlePaths.relative(root, file), String.valueOf(exc.getMessage()), exc);
                            return FileVisitResult.TERMINATE;
                        }

                        private FileVisitResult refuse(Path file, String why) {
                            refused[0] = new BundleRejected(BundleRejected.Reason.PATH_ESCAPE,
                                    BundlePaths.relative(root, file), why);
                            return FileVisitResult.TERMINATE;
                        }
                    });
        } catch (IOException e) {
            throw new BundleRejected(BundleRejected.Reason.UNREADABLE, root.toString(),
                    String.valueOf(e.getMessage()), e);
        }
        if (refused[0] != null) {
            throw refused[0];
        }
        return found;
    }

    private static void checkHash(Path file, String rel, FileEntry expected, long sizeOnDisk) throws BundleRejected {
        if (sizeOnDisk != expected.size()) {
            throw new BundleRejected(BundleRejected.Reason.HASH_MISMATCH, rel, "size " + sizeOnDisk
                    + " bytes but the manifest says " + expected.size());
        }
        MessageDigest md = sha256();
        long total = 0;
        // NOFOLLOW_LINKS again: the walk saw a regular file, but it could have been swapped for a link since.
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > expected.size()) {
                    break;
                }
                md.update(buf, 0, n);
            }
        } catch (IOException e) {
            throw new BundleRejected(BundleRejected.Reason.UNREADABLE, rel, String.valueOf(e.getMessage()), e);
        }
        if (total != expected.size()) {
            throw new BundleRejected(BundleRejected.Reason.HASH_MISMATCH, rel, "size changed while reading");
        }
        byte[] actual = md.digest();
        if (!MessageDigest.isEqual(actual, HexFormat.of().parseHex(expected.sha256()))) {
            throw new BundleRejected(BundleRejected.Reason.HASH_MISMATCH, rel, "sha256 " + hex(actual).substring(0, 16)
                    + "... but the manifest says " + expected.sha256().substring(0, 16) + "...");
        }
    }

    /** Reads manifest.json or manifest.sig: a regular file (not a link), at most the manifest size cap. */
    static byte[] readSmall(Path root, String name, BundleRejected.Reason ifMissing, BundleRejected.Reason ifTooLarge,
                            BundleLimits limits) throws BundleRejected {
        Path p = root.resolve(name);
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) {
                throw new BundleRejected(BundleRejected.Reason.PATH_ESCAPE, name, "symbolic link");
            }
            if (!a.isRegularFile()) {
                throw new BundleRejected(BundleRejected.Reason.PATH_ESCAPE, name, "not a regular file");
            }
            if (a.size() > limits.maxManifestBytes()) {
                throw new BundleRejected(ifTooLarge, name, "larger than " + limits.maxManifestBytes() + " bytes");
            }
            try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                byte[] bytes = in.readNBytes((int) limits.maxManifestBytes() + 1);
                if (bytes.length > limits.maxManifestBytes()) {
                    throw new BundleRejected(ifTooLarge, name, "larger than " + limits.maxManifestBytes() + " bytes");
                }
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new BundleRejected(ifMissing, name, ifMissing == BundleRejected.Reason.NO_SIGNATURE
                    ? "the bundle is not signed" : "not in the bundle", e);
        } catch (IOException e) {
            throw new BundleRejected(BundleRejected.Reason.UNREADABLE, name, String.valueOf(e.getMessage()), e);
        }
    }

    private byte[] readSmall(Path root, String name, BundleRejected.Reason ifMissing,
                             BundleRejected.Reason ifTooLarge) throws BundleRejected {
        return readSmall(root, name, ifMissing, ifTooLarge, limits);
    }

    private static ManifestSignature parseSignature(byte[] bytes) throws BundleRejected {
        ManifestSignature sig = ManifestJson.parseSignature(bytes);
        if (!ManifestSignature.ED25519.equals(sig.algorithm())) {
            throw new BundleRejected(BundleRejected.Reason.BAD_SIGNATURE, BundlePaths.SIGNATURE,
                    "unsupported algorithm " + sig.algorithm() + " (expected " + ManifestSignature.ED25519 + ")");
        }
        return sig;
    }

    private static void checkSignature(TrustStore.TrustedKey key, byte[] canonical, ManifestSignature sig)
            throws BundleRejected {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(sig.signature());
        } catch (IllegalArgumentException e) {
            throw new BundleRejected(BundleRejected.Reason.BAD_SIGNATURE, BundlePaths.SIGNATURE,
                    "signature is not base64", e);
        }
        boolean valid;
        try {
            Signature verifier = Signature.getInstance(Ed25519Keys.ALGORITHM);
            verifier.initVerify(key.key());
            verifier.update(canonical);
            valid = raw.length == 64 && verifier.verify(raw);
        } catch (GeneralSecurityException e) {
            valid = false;
        }
        if (!valid) {
            throw new BundleRejected(BundleRejected.Reason.BAD_SIGNATURE, BundlePaths.MANIFEST,
                    "signature by trusted key " + key.name() + " does not match the manifest");
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
