package dev.vigie.bundle;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The public keys a sensor accepts bundles from, by key id. A trust directory is every {@code *.pub} file in it
 * (not recursive); one file that does not parse fails the whole load rather than silently shrinking the set.
 */
public final class TrustStore {

    /** A trusted key and the name it was trusted under (its file name), for messages and logs. */
    public record TrustedKey(String keyId, String name, PublicKey key) {
    }

    private final Map<String, TrustedKey> byId;

    private TrustStore(Map<String, TrustedKey> byId) {
        this.byId = Collections.unmodifiableMap(new TreeMap<>(byId));
    }

    public static TrustStore fromDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new java.nio.file.NoSuchFileException(dir.toString(), null, "not a directory");
        }
        Map<String, TrustedKey> keys = new TreeMap<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*" + Ed25519Keys.PUBLIC_SUFFIX)) {
            for (Path p : stream) {
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                PublicKey key = Ed25519Keys.readPublicKey(p);
                String id = Ed25519Keys.keyId(key);
                keys.putIfAbsent(id, new TrustedKey(id, p.getFileName().toString(), key));
            }
        }
        if (keys.isEmpty()) {
            throw new java.nio.file.NoSuchFileException(dir.toString(), null, "no trusted keys (*.pub) in it");
        }
        return new TrustStore(keys);
    }

    public static TrustStore of(Map<String, PublicKey> keysByName) {
        Map<String, TrustedKey> keys = new TreeMap<>();
        keysByName.forEach((name, key) -> {
            String id = Ed25519Keys.keyId(key);
            keys.put(id, new TrustedKey(id, name, key));
        });
        return new TrustStore(keys);
    }

    public Optional<TrustedKey> find(String keyId) {
        return Optional.ofNullable(byId.get(keyId));
    }

    public Collection<TrustedKey> keys() {
        return byId.values();
    }

    public int size() {
        return byId.size();
    }
}
