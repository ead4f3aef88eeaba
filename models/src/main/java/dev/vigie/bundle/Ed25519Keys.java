package dev.vigie.bundle;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Ed25519 signing keys with the JDK's own provider (no third-party crypto). On disk:
 * <ul>
 *   <li>{@code NAME.key}: the private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}, what {@code
 *       openssl genpkey -algorithm ed25519} writes), created with mode 0600 and refused when group or others may
 *       read it (as ssh does);</li>
 *   <li>{@code NAME.pub}: the public key as X.509 SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC KEY-----}).</li>
 * </ul>
 * A key's id is the lower-case hex SHA-256 of its raw 32-byte public key (RFC 8032 encoding), so it does not
 * depend on the container format.
 */
public final class Ed25519Keys {
    public static final String ALGORITHM = "Ed25519";
    public static final String PRIVATE_SUFFIX = ".key";
    public static final String PUBLIC_SUFFIX = ".pub";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): SEQUENCE, AlgorithmIdentifier 1.3.101.112, BIT STRING. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final Set<PosixFilePermission> GROUP_OR_OTHER = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    /** Where a key pair was written. */
    public record KeyFiles(Path privateKey, Path publicKey) {
    }

    private Ed25519Keys() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no Ed25519 (needs Java 15+)", e);
        }
    }

    /**
     * Writes {@code DIR/NAME.key} (0600, set at creation) and {@code DIR/NAME.pub}; refuses to overwrite either.
     * {@code dir} is created owner-only if it does not exist.
     */
    public static KeyFiles write(KeyPair pair, Path dir, String name) throws IOException {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("key name must match " + NAME.pattern());
        }
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
        if (!Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            throw new IOException(dir + ": file system cannot restrict permissions; refusing to write a private key");
        }
        Path priv = dir.resolve(name + PRIVATE_SUFFIX);
        Path pub = dir.resolve(name + PUBLIC_SUFFIX);
        if (Files.exists(priv, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(priv.toString());
        }
        if (Files.exists(pub, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(pub.toString());
        }
        AtomicFiles.createNew(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), AtomicFiles.OWNER_RW);
        AtomicFiles.createNew(pub, publicKeyPem(pair.getPublic()), AtomicFiles.WORLD_READABLE);
        return new KeyFiles(priv, pub);
    }

    /** {@code DIR/NAME.pub} for {@code DIR/NAME.key} (or {@code FILE.pub} for any other name). */
    public static Path publicKeyFileFor(Path privateKeyFile) {
        String n = privateKeyFile.getFileName().toString();
        String base = n.endsWith(PRIVATE_SUFFIX) ? n.substring(0, n.length() - PRIVATE_SUFFIX.length()) : n;
        return privateKeyFile.resolveSibling(base + PUBLIC_SUFFIX);
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(GROUP_OR_OTHER::contains)) {
                throw new KeyFileException(KeyFileException.Problem.TOO_OPEN, file + ": private key permissions "
                        + PosixFilePermissions.toString(perms)
                        + " let others read it; chmod 600 it");
            }
        }
        byte[] der = unpem(file, "PRIVATE KEY");
        try {
            PrivateKey key = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
            Arrays.fill(der, (byte) 0);
            return key;
        } catch (GeneralSecurityException e) {
            throw new KeyFileException(KeyFileException.Problem.MALFORMED, file + ": not an Ed25519 private key", e);
        }
    }

    public static PublicKey readPublicKey(Path file) throws IOException {
        byte[] der = unpem(file, "PUBLIC KEY");
        try {
            PublicKey key = KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
            rawPublicKey(key);
            return key;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new KeyFileException(KeyFileException.Problem.MALFORMED, file + ": not an Ed25519 public key", e);
        }
    }

    /** The 32-byte RFC 8032 public key, taken from the X.509 encoding after checking it is Ed25519's. */
    public static byte[] rawPublicKey(PublicKey key) {
        byte[] spki = key.getEncoded();
        if (spki == null || spki.length != SPKI_PREFIX.length + 32
                || !Arrays.equals(spki, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            throw new IllegalArgumentException("not an Ed25519 public key");
        }
        return Arrays.copyOfRange(spki, SPKI_PREFIX.length, spki.length);
    }

    /** Lower-case hex SHA-256 of the raw public key. */
    public static String keyId(PublicKey key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(rawPublicKey(key)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] publicKeyPem(PublicKey key) {
        rawPublicKey(key);
        return pem("PUBLIC KEY", key.getEncoded());
    }

    private static byte[] pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return ("-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** The DER inside the one PEM block labelled {@code label}; text around it (comments) is ignored, as openssl does. */
    private static byte[] unpem(Path file, String label) throws IOException {
        if (Files.size(file) > 64 * 1024) {
            throw new KeyFileException(KeyFileException.Problem.MALFORMED, file + ": too large for a key file");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (CharacterCodingException ex) {
            throw new KeyFileException(KeyFileException.Problem.MALFORMED, file + ": not a PEM text file", ex);
        }
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int b = text.indexOf(begin);
        int e = b < 0 ? -1 : text.indexOf(end, b);
        if (b < 0 || e < 0 || text.indexOf(begin, b + 1) >= 0) {
            throw new KeyFileException(KeyFileException.Problem.MALFORMED, file + ": expected one PEM block '"
                    + begin + "'");
        }
        try {
            return Base64.getMimeDecoder().decode(text.substring(b + begin.length(), e).strip());
        } catch (IllegalArgumentException ex) {
            throw new KeyFileException(KeyFileException.Problem.MALFORMED, file + ": bad base64 in PEM block", ex);
        }
    }
}
