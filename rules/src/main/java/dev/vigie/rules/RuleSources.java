package dev.vigie.rules;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where rules come from: the built-in pack shipped in the jar ({@code dev/vigie/rules/builtin/}, listed in its
 * {@code INDEX}) and site directories of {@code *.yaml} / {@code *.yml} files (read in name order; a path that is a
 * file is read as one rule file).
 */
public final class RuleSources {
    static final String BUILTIN = "dev/vigie/rules/builtin/";

    private RuleSources() {}

    /** Every rule of the given sources and every problem found in them. */
    public static RuleLoader.Result load(boolean builtin, List<Path> paths) {
        List<Rule> rules = new ArrayList<>();
        List<RuleError> errors = new ArrayList<>();
        if (builtin) add(builtinPack(), rules, errors);
        for (Path p : paths) add(loadPath(p), rules, errors);
        return new RuleLoader.Result(List.copyOf(rules), List.copyOf(errors));
    }

    private static void add(RuleLoader.Result r, List<Rule> rules, List<RuleError> errors) {
        rules.addAll(r.rules());
        errors.addAll(r.errors());
    }

    public static RuleLoader.Result builtinPack() {
        List<Rule> rules = new ArrayList<>();
        List<RuleError> errors = new ArrayList<>();
        ClassLoader cl = RuleSources.class.getClassLoader();
        String index;
        try (InputStream in = cl.getResourceAsStream(BUILTIN + "INDEX")) {
            if (in == null) throw new IOException("missing " + BUILTIN + "INDEX");
            index = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return new RuleLoader.Result(List.of(), List.of(new RuleError("builtin", 1, null, e.getMessage())));
        }
        for (String name : index.split("\n")) {
            name = name.strip();
            if (name.isEmpty() || name.startsWith("#")) continue;
            try (InputStream in = cl.getResourceAsStream(BUILTIN + name)) {
                if (in == null) {
                    errors.add(new RuleError("builtin:" + name, 1, null, "listed in INDEX but missing"));
                    continue;
                }
                add(RuleLoader.parse("builtin:" + name, new String(in.readAllBytes(), StandardCharsets.UTF_8)), rules, errors);
            } catch (IOException e) {
                errors.add(new RuleError("builtin:" + name, 1, null, String.valueOf(e.getMessage())));
            }
        }
        return new RuleLoader.Result(rules, errors);
    }

    /** A directory of rule files, or one file. */
    public static RuleLoader.Result loadPath(Path p) {
        List<Rule> rules = new ArrayList<>();
        List<RuleError> errors = new ArrayList<>();
        if (Files.isDirectory(p)) {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
                for (Path f : ds) {
                    String n = f.getFileName().toString();
                    if (!n.startsWith(".") && (n.endsWith(".yaml") || n.endsWith(".yml")) && Files.isRegularFile(f)) files.add(f);
                }
            } catch (IOException e) {
                errors.add(new RuleError(p.toString(), 1, null, "cannot list directory: " + e.getMessage()));
            }
            files.sort(null);
            for (Path f : files) add(loadFile(f), rules, errors);
        } else if (Files.isRegularFile(p)) {
            add(loadFile(p), rules, errors);
        } else {
            errors.add(new RuleError(p.toString(), 1, null, "no such file or directory"));
        }
        return new RuleLoader.Result(rules, errors);
    }

    static RuleLoader.Result loadFile(Path f) {
        try {
            if (Files.size(f) > RuleLoader.MAX_FILE_CHARS) {
                return new RuleLoader.Result(List.of(), List.of(new RuleError(f.toString(), 1, null,
                        "file is larger than " + RuleLoader.MAX_FILE_CHARS + " bytes")));
            }
            byte[] bytes = Files.readAllBytes(f);
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                return new RuleLoader.Result(List.of(), List.of(new RuleError(f.toString(), 1, null, "not UTF-8 text")));
            }
            return RuleLoader.parse(f.toString(), text);
        } catch (IOException e) {
            return new RuleLoader.Result(List.of(), List.of(new RuleError(f.toString(), 1, null, "cannot read: " + e.getMessage())));
        }
    }
}
