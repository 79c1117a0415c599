package org.openmmsc.core.relay;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageClass;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.Origin;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.spi.IdempotencyKey;
import org.openmmsc.core.spi.Report;

/**
 * A report owed to an originator, kept in the store as a small message of its own (from the
 * recipient the report is about, to the originator) whose one part names the original message,
 * the recipient, the kind and the status. The original message is read back when the report is
 * handed over, so the report message stays small.
 */
final class StoredReport {
    static final ContentType CONTENT_TYPE = ContentType.of("application/vnd.openmmsc.report");
    /** The authenticated "sender" of stored reports in idempotency keys: the MMSC itself. */
    static final String SENDER = "openmmsc-report";

    /** What a stored report says. */
    record Contents(Report.Kind kind, Report.Status status, MessageId originalId, int recipientIndex, Instant at, String detail) {}

    private StoredReport() {}

    static Message toMessage(MessageId id, Report report, int recipientIndex, Instant now) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("kind", report.kind().name());
        fields.put("status", report.status().name());
        fields.put("original", report.message().id().value());
        fields.put("recipient-index", Integer.toString(recipientIndex));
        fields.put("at", report.at().toString());
        fields.put("detail", report.detail().replace('\n', ' ').replace('\r', ' '));
        StringBuilder text = new StringBuilder();
        fields.forEach((k, v) -> text.append(k).append(": ").append(v).append('\n'));
        MessagePart part = new MessagePart(CONTENT_TYPE, List.of(), text.toString().getBytes(StandardCharsets.UTF_8));
        Message original = report.message();
        return new Message(id, report.recipient().address(), List.of(Recipient.to(original.originator())), null, MessageClass.AUTO, null,
                now, null, null, false, false, false, null, CONTENT_TYPE, List.of(part),
                Origin.of(original.origin().iface(), SENDER, null));
    }

    /** One report per original delivery, kind and status, however often the hand-over is retried. */
    static IdempotencyKey key(Interface iface, Report report, int recipientIndex) {
        return new IdempotencyKey(iface, SENDER,
                report.message().id().value() + "/" + recipientIndex + "/" + report.kind() + "/" + report.status());
    }

    static Contents read(Message stored) {
        if (stored.parts().size() != 1 || !stored.contentType().mediaType().equals(CONTENT_TYPE.mediaType())) {
            throw new IllegalArgumentException("message " + stored.id() + " is not a stored report");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : new String(stored.parts().getFirst().content(), StandardCharsets.UTF_8).split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) fields.put(line.substring(0, colon), line.substring(colon + 2));
        }
        try {
            return new Contents(Report.Kind.valueOf(fields.get("kind")), Report.Status.valueOf(fields.get("status")),
                    new MessageId(fields.get("original")), Integer.parseInt(fields.get("recipient-index")),
                    Instant.parse(fields.get("at")), fields.getOrDefault("detail", ""));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("stored report " + stored.id() + " is unreadable: " + e.getMessage(), e);
        }
    }
}
