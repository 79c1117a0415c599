package org.openmmsc.server.admin;

import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.EncodedText;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageClass;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.NumberNormalizer;
import org.openmmsc.core.model.Priority;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.model.TimeSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns an operator's injection request — a JSON document or a multipart/form-data submission —
 * into a validated {@link MessageRequest}. Every refusal is a {@link BadRequestException} naming
 * the field as the client wrote it, so the operator can fix the request without guessing.
 * Transport-free: the HTTP handler hands it bytes or decoded form fields.
 */
public final class MessageRequestParser {

    static final ContentType DEFAULT_CONTENT_TYPE = ContentType.of("multipart/mixed");
    private static final int MAX_TRANSACTION_ID_LENGTH = 200;
    private static final int MAX_SUBJECT_LENGTH = 1000;
    private static final Set<String> JSON_FIELDS = Set.of("from", "to", "cc", "bcc", "subject", "subjectCharset", "messageClass",
            "priority", "expiry", "earliestDelivery", "deliveryReport", "readReport", "senderHidden", "transactionId",
            "contentType", "parts");
    private static final Set<String> PART_FIELDS = Set.of("contentType", "contentId", "contentLocation", "content");
    private static final Set<String> FORM_FIELDS = Set.of("from", "to", "cc", "bcc", "subject", "subjectCharset", "messageClass",
            "priority", "expiry", "earliestDelivery", "deliveryReport", "readReport", "senderHidden", "transactionId", "contentType");

    private final NumberNormalizer numbers;
    private final JsonMapper json;

    /**
     * @param maxBodyBytes the largest body the server lets through; JSON strings up to that size are
     *                     accepted (Jackson's own default cap would refuse a large base64 part)
     */
    public MessageRequestParser(NumberNormalizer numbers, int maxBodyBytes) {
        this.numbers = Objects.requireNonNull(numbers, "numbers");
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Math.max(maxBodyBytes, 1024)).build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.json = JsonMapper.builder(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
    }

    /** Parses the JSON form of an injection request. */
    public MessageRequest parseJson(byte[] body) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (JacksonException e) {
            throw new BadRequestException(null, "body is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        }
        if (root == null || root.isMissingNode() || !root.isObject()) throw new BadRequestException(null, "body must be a JSON object");
        for (String name : root.propertyNames()) {
            if (!JSON_FIELDS.contains(name)) throw new BadRequestException(name, "unknown field");
        }
        Draft draft = new Draft();
        draft.from = requiredString(root, "from");
        draft.to = stringList(root, "to");
        draft.cc = stringList(root, "cc");
        draft.bcc = stringList(root, "bcc");
        draft.subject = optionalString(root, "subject");
        draft.subjectCharset = optionalString(root, "subjectCharset");
        draft.messageClass = optionalString(root, "messageClass");
        draft.priority = optionalString(root, "priority");
        draft.expiry = optionalString(root, "expiry");
        draft.earliestDelivery = optionalString(root, "earliestDelivery");
        draft.deliveryReport = optionalBoolean(root, "deliveryReport");
        draft.readReport = optionalBoolean(root, "readReport");
        draft.senderHidden = optionalBoolean(root, "senderHidden");
        draft.transactionId = optionalString(root, "transactionId");
        draft.contentType = optionalString(root, "contentType");
        JsonNode parts = root.get("parts");
        if (parts == null || parts.isNull()) throw new BadRequestException("parts", "is required: at least one part");
        if (!parts.isArray()) throw new BadRequestException("parts", "must be an array of parts");
        for (int i = 0; i < parts.size(); i++) draft.parts.add(jsonPart(parts.get(i), "parts[" + i + "]"));
        return draft.build();
    }

    /** Parses the multipart/form-data form: the same simple fields, each uploaded file one part. */
    public MessageRequest parseForm(FormSubmission form) {
        for (String name : form.fields().keySet()) {
            if (!FORM_FIELDS.contains(name)) throw new BadRequestException(name, "unknown field");
        }
        Draft draft = new Draft();
        draft.from = single(form, "from");
        if (draft.from == null) throw new BadRequestException("from", "is required");
        draft.to = form.fields().get("to");
        draft.cc = form.fields().get("cc");
        draft.bcc = form.fields().get("bcc");
        draft.subject = single(form, "subject");
        draft.subjectCharset = single(form, "subjectCharset");
        draft.messageClass = single(form, "messageClass");
        draft.priority = single(form, "priority");
        draft.expiry = single(form, "expiry");
        draft.earliestDelivery = single(form, "earliestDelivery");
        draft.deliveryReport = formBoolean(form, "deliveryReport");
        draft.readReport = formBoolean(form, "readReport");
        draft.senderHidden = formBoolean(form, "senderHidden");
        draft.transactionId = single(form, "transactionId");
        draft.contentType = single(form, "contentType");
        for (int i = 0; i < form.files().size(); i++) {
            FormSubmission.UploadedFile file = form.files().get(i);
            String field = "file[" + i + "]";
            if (file.contentType() == null || file.contentType().isBlank()) throw new BadRequestException(field, "has no content type");
            draft.parts.add(part(field, file.contentType(), null, blankToNull(file.fileName()), file.content()));
        }
        return draft.build();
    }

    /** The raw values of a request, named by field, before they are checked together. */
    private final class Draft {
        String from;
        List<String> to;
        List<String> cc;
        List<String> bcc;
        String subject;
        String subjectCharset;
        String messageClass;
        String priority;
        String expiry;
        String earliestDelivery;
        Boolean deliveryReport;
        Boolean readReport;
        Boolean senderHidden;
        String transactionId;
        String contentType;
        final List<MessagePart> parts = new ArrayList<>();

        MessageRequest build() {
            Address originator = address("from", from);
            List<Recipient> recipients = new ArrayList<>();
            Map<Address, String> seen = new HashMap<>();
            addRecipients(recipients, seen, "to", to, Recipient.Kind.TO);
            addRecipients(recipients, seen, "cc", cc, Recipient.Kind.CC);
            addRecipients(recipients, seen, "bcc", bcc, Recipient.Kind.BCC);
            if (recipients.isEmpty()) throw new BadRequestException("to", "at least one recipient is required (to, cc or bcc)");
            if (parts.isEmpty()) throw new BadRequestException("parts", "is required: at least one part");
            ContentType type = contentType == null ? DEFAULT_CONTENT_TYPE : contentType("contentType", contentType);
            if (!type.isMultipart() && parts.size() > 1) {
                throw new BadRequestException("contentType", "a " + type.mediaType() + " message has exactly one part, got " + parts.size());
            }
            return new MessageRequest(originator, recipients, subject(), enumValue("messageClass", messageClass, MessageClass.class),
                    enumValue("priority", priority, Priority.class), time("expiry", expiry), time("earliestDelivery", earliestDelivery),
                    Boolean.TRUE.equals(deliveryReport), Boolean.TRUE.equals(readReport), Boolean.TRUE.equals(senderHidden),
                    transactionId(), type, parts);
        }

        private void addRecipients(List<Recipient> recipients, Map<Address, String> seen, String field, List<String> values, Recipient.Kind kind) {
            if (values == null) return;
            for (int i = 0; i < values.size(); i++) {
                String name = field + "[" + i + "]";
                if (recipients.size() == Message.MAX_RECIPIENTS) {
                    throw new BadRequestException(name, "too many recipients: at most " + Message.MAX_RECIPIENTS + " in to, cc and bcc together");
                }
                Address address = address(name, values.get(i));
                String earlier = seen.putIfAbsent(address, name);
                if (earlier != null) throw new BadRequestException(name, "recipient " + address.value() + " is already named in " + earlier);
                recipients.add(new Recipient(address, kind));
            }
        }

        private EncodedText subject() {
            if (subject == null) {
                if (subjectCharset != null) throw new BadRequestException("subjectCharset", "given without a subject");
                return null;
            }
            if (subject.length() > MAX_SUBJECT_LENGTH) throw new BadRequestException("subject", "longer than " + MAX_SUBJECT_LENGTH + " characters");
            if (subjectCharset == null) return EncodedText.utf8(subject);
            try {
                Charset charset = Charset.forName(subjectCharset);
                if (!charset.newEncoder().canEncode(subject)) {
                    throw new BadRequestException("subjectCharset", subjectCharset + " cannot encode the subject");
                }
                return new EncodedText(subject, charset.name());
            } catch (IllegalCharsetNameException | java.nio.charset.UnsupportedCharsetException e) {
                throw new BadRequestException("subjectCharset", "unknown charset: " + subjectCharset);
            }
        }

        private String transactionId() {
            if (transactionId == null) return null;
            if (transactionId.isEmpty() || transactionId.length() > MAX_TRANSACTION_ID_LENGTH
                    || !transactionId.chars().allMatch(c -> c > 32 && c < 127)) {
                throw new BadRequestException("transactionId", "must be 1-" + MAX_TRANSACTION_ID_LENGTH + " printable ASCII characters without spaces");
            }
            return transactionId;
        }
    }

    private MessagePart jsonPart(JsonNode node, String field) {
        if (node == null || !node.isObject()) throw new BadRequestException(field, "must be an object");
        for (String name : node.propertyNames()) {
            if (!PART_FIELDS.contains(name)) throw new BadRequestException(field + "." + name, "unknown field");
        }
        String type = requiredString(node, "contentType", field + ".contentType");
        String contentId = optionalString(node, "contentId", field + ".contentId");
        String contentLocation = optionalString(node, "contentLocation", field + ".contentLocation");
        String base64 = requiredString(node, "content", field + ".content");
        byte[] content;
        try {
            content = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(field + ".content", "not base64: " + e.getMessage());
        }
        return part(field, type, contentId, contentLocation, content);
    }

    private static MessagePart part(String field, String type, String contentId, String contentLocation, byte[] content) {
        ContentType contentType = contentType(field + ".contentType", type);
        List<MessagePart.Header> headers = new ArrayList<>(2);
        if (contentId != null) headers.add(new MessagePart.Header("Content-ID", headerValue(field + ".contentId", contentId)));
        if (contentLocation != null) headers.add(new MessagePart.Header("Content-Location", headerValue(field + ".contentLocation", contentLocation)));
        return new MessagePart(contentType, headers, content);
    }

    private static String headerValue(String field, String value) {
        if (value.isBlank()) throw new BadRequestException(field, "must not be blank");
        // A line break would let the value forge further headers when the part goes out over MM1/MM4.
        if (value.chars().anyMatch(c -> c < 32 || c == 127)) throw new BadRequestException(field, "must not contain control characters");
        return value;
    }

    private static ContentType contentType(String field, String text) {
        try {
            return ContentType.parse(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(field, "bad content type: " + e.getMessage());
        }
    }

    private Address address(String field, String text) {
        if (text == null || text.isBlank()) throw new BadRequestException(field, "is required");
        try {
            return numbers.normalizeMms(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(field, "bad address: " + e.getMessage());
        }
    }

    private static <E extends Enum<E>> E enumValue(String field, String text, Class<E> type) {
        if (text == null) return null;
        try {
            return Enum.valueOf(type, text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            List<String> allowed = new ArrayList<>();
            for (E constant : type.getEnumConstants()) allowed.add(constant.name().toLowerCase(Locale.ROOT));
            throw new BadRequestException(field, "must be one of " + String.join(", ", allowed) + ", got '" + text + "'");
        }
    }

    /** An ISO-8601 duration is relative to submission ("PT2H"); a date-time is absolute ("2026-12-01T10:00:00Z"). */
    static TimeSpec time(String field, String text) {
        if (text == null) return null;
        String value = text.strip();
        try {
            if (value.startsWith("P") || value.startsWith("p") || value.startsWith("-")) {
                Duration duration = Duration.parse(value);
                if (duration.isNegative()) throw new BadRequestException(field, "a relative time must not be negative: " + text);
                return TimeSpec.after(duration);
            }
            return TimeSpec.at(OffsetDateTime.parse(value).toInstant());
        } catch (DateTimeException e) {
            throw new BadRequestException(field, "not an ISO-8601 duration (PT2H) or date-time with offset (2026-12-01T10:00:00Z): " + text);
        }
    }

    private static String requiredString(JsonNode node, String name) {
        return requiredString(node, name, name);
    }

    private static String requiredString(JsonNode node, String name, String field) {
        String value = optionalString(node, name, field);
        if (value == null) throw new BadRequestException(field, "is required");
        return value;
    }

    private static String optionalString(JsonNode node, String name) {
        return optionalString(node, name, name);
    }

    private static String optionalString(JsonNode node, String name, String field) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) return null;
        if (!value.isString()) throw new BadRequestException(field, "must be a string");
        return value.stringValue();
    }

    private static Boolean optionalBoolean(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) return null;
        if (!value.isBoolean()) throw new BadRequestException(name, "must be true or false");
        return value.booleanValue();
    }

    private static List<String> stringList(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) return null;
        if (!value.isArray()) throw new BadRequestException(name, "must be an array of addresses");
        List<String> out = new ArrayList<>(value.size());
        for (int i = 0; i < value.size(); i++) {
            JsonNode item = value.get(i);
            if (!item.isString()) throw new BadRequestException(name + "[" + i + "]", "must be a string");
            out.add(item.stringValue());
        }
        return out;
    }

    private static String single(FormSubmission form, String name) {
        List<String> values = form.fields().get(name);
        if (values == null || values.isEmpty()) return null;
        if (values.size() > 1) throw new BadRequestException(name, "given " + values.size() + " times; only to, cc and bcc may repeat");
        return values.getFirst();
    }

    private static Boolean formBoolean(FormSubmission form, String name) {
        String value = single(form, name);
        if (value == null) return null;
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new BadRequestException(name, "must be true or false, got '" + value + "'");
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
