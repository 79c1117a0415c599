package org.openmmsc.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import org.openmmsc.core.config.ConfigException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the YAML configuration file into {@link MmscConfig}. Any unknown key or bad value stops
 * start-up with an {@link InvalidConfigException} naming the key's path (e.g. {@code admin.port})
 * and the reason.
 */
public final class ConfigLoader {

    /** A configuration the MMSC refuses to start with. */
    public static final class InvalidConfigException extends Exception {
        private final String path;

        InvalidConfigException(String source, String path, String reason) {
            super(source + ": " + (path.isEmpty() ? "" : path + ": ") + reason);
            this.path = path;
        }

        /** The key's dotted path ("scheduler.routes.LOCAL_MM1.maxAttempts"), or empty for the file as a whole. */
        public String path() {
            return path;
        }
    }

    private final YAMLMapper mapper;

    public ConfigLoader() {
        SimpleModule durations = new SimpleModule("openmmsc-durations");
        durations.addDeserializer(Duration.class, new ValueDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctxt) {
                if (p.currentToken().isNumeric()) return Duration.ofSeconds(p.getLongValue());
                String text = p.getValueAsString();
                if (text == null) return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
                try {
                    return DurationText.parse(text);
                } catch (IllegalArgumentException e) {
                    throw InvalidFormatException.from(p, e.getMessage(), text, Duration.class);
                }
            }
        });
        durations.addDeserializer(Path.class, new ValueDeserializer<>() {
            @Override
            public Path deserialize(JsonParser p, DeserializationContext ctxt) {
                String text = p.getValueAsString();
                if (text == null || text.isBlank()) throw InvalidFormatException.from(p, "must be a file system path", text, Path.class);
                return Path.of(text);
            }
        });
        durations.addDeserializer(org.openmmsc.mm3.SmtpConfig.TlsPolicy.class, new ValueDeserializer<>() {
            @Override
            public org.openmmsc.mm3.SmtpConfig.TlsPolicy deserialize(JsonParser p, DeserializationContext ctxt) {
                String text = p.getValueAsString();
                try {
                    return org.openmmsc.mm3.SmtpConfig.TlsPolicy.parse(text == null ? "" : text);
                } catch (IllegalArgumentException e) {
                    throw InvalidFormatException.from(p, e.getMessage(), text, org.openmmsc.mm3.SmtpConfig.TlsPolicy.class);
                }
            }
        });
        this.mapper = YAMLMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .addModule(durations)
                .build();
    }

    /** The configuration in {@code file}, or the built-in defaults when {@code file} is null. */
    public MmscConfig load(Path file) throws InvalidConfigException {
        if (file == null) return MmscConfig.defaults();
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new InvalidConfigException(file.toString(), "", "no such file");
        } catch (IOException e) {
            throw new InvalidConfigException(file.toString(), "", "cannot read: " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** Parses configuration text; {@code source} names it in error messages. */
    public MmscConfig parse(String yaml, String source) throws InvalidConfigException {
        if (yaml.isBlank()) return MmscConfig.defaults();
        JsonNode tree;
        try {
            // Parse the whole document first, so a syntax error is reported as such, with its line.
            tree = mapper.readTree(yaml);
        } catch (JacksonException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new InvalidConfigException(source, "", "not valid YAML: " + e.getOriginalMessage().lines().findFirst().orElse("") + where);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) return MmscConfig.defaults();
        try {
            MmscConfig config = mapper.treeToValue(tree, MmscConfig.class);
            return config == null ? MmscConfig.defaults() : config;
        } catch (JacksonException e) {
            throw translate(e, source);
        }
    }

    private static InvalidConfigException translate(JacksonException e, String source) {
        String path = e instanceof DatabindException de ? pathOf(de.getPath()) : "";
        Throwable cause = e.getCause();
        while (cause != null && !(cause instanceof ConfigException) && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        if (cause instanceof ConfigException ce) {
            return new InvalidConfigException(source, join(path, ce.path()), ce.reason());
        }
        if (e instanceof UnrecognizedPropertyException u) {
            return new InvalidConfigException(source, path, "unknown key" + knownKeys(u.getKnownPropertyIds()));
        }
        if (e instanceof InvalidFormatException f) {
            String reason = f.getOriginalMessage();
            if (f.getTargetType() != null && f.getTargetType().isEnum()) {
                reason = "'" + f.getValue() + "' is not one of " + List.of(f.getTargetType().getEnumConstants());
            } else if (reason != null && reason.startsWith("Cannot deserialize")) {
                reason = "'" + f.getValue() + "' is not a valid " + simpleType(f.getTargetType());
            }
            return new InvalidConfigException(source, path, reason);
        }
        if (e instanceof MismatchedInputException m) {
            return new InvalidConfigException(source, path, "expected " + describe(m.getTargetType()));
        }
        return new InvalidConfigException(source, path, e.getOriginalMessage());
    }

    private static String pathOf(List<JacksonException.Reference> references) {
        List<String> parts = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        for (JacksonException.Reference ref : references) {
            if (ref.getPropertyName() != null) {
                if (!sb.isEmpty()) sb.append('.');
                sb.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                sb.append('[').append(ref.getIndex()).append(']');
            }
        }
        parts.add(sb.toString());
        return parts.getFirst();
    }

    private static String join(String parent, String child) {
        if (parent.isEmpty()) return child;
        // A record's compact constructor names its own component; Jackson's path may already end with it.
        if (parent.equals(child) || parent.endsWith("." + child)) return parent;
        return parent + "." + child;
    }

    private static String knownKeys(Collection<Object> known) {
        if (known == null || known.isEmpty()) return "";
        return " (known keys: " + known.stream().map(String::valueOf).sorted().collect(Collectors.joining(", ")) + ")";
    }

    private static String describe(Class<?> type) {
        if (type == null) return "a different kind of value";
        if (type.isRecord()) return "a section (key: value pairs)";
        if (List.class.isAssignableFrom(type)) return "a list";
        if (java.util.Map.class.isAssignableFrom(type)) return "a map";
        return "a " + simpleType(type);
    }

    private static String simpleType(Class<?> type) {
        if (type == null) return "value";
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) return "whole number";
        if (type == Boolean.class || type == boolean.class) return "boolean (true or false)";
        if (type == Double.class || type == double.class) return "number";
        if (type == Duration.class) return "duration (e.g. 30s, 5m, 2h, 7d)";
        if (type == String.class) return "text";
        return type.getSimpleName();
    }
}
