package org.openmmsc.core.model;

import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The TS 23.140 abstract message as the relay holds it, whatever interface it came by.
 * Times are as the sender asked ({@link TimeSpec}); the relay resolves and caps them into each
 * delivery at acceptance.
 *
 * @param chargedParty          who pays (MM7 ChargedParty); null when the sender did not say
 * @param distributionIndicator false: the content must not be forwarded or redistributed by the
 *                              recipient (MM7 DistributionIndicator, MM1 X-Mms-Distribution-Indicator);
 *                              null when the sender did not say (which the MMS standards read as allowed)
 */
public record Message(
        MessageId id,
        Address originator,
        List<Recipient> recipients,
        EncodedText subject,
        MessageClass messageClass,
        Priority priority,
        Instant date,
        TimeSpec expiry,
        TimeSpec earliestDelivery,
        boolean deliveryReportRequested,
        boolean readReportRequested,
        boolean senderHidden,
        ReplyCharging replyCharging,
        ContentType contentType,
        List<MessagePart> parts,
        Origin origin,
        ChargedParty chargedParty,
        Boolean distributionIndicator) {

    /** Recipients per message the core accepts at most, whatever an interface allows. */
    public static final int MAX_RECIPIENTS = 1000;

    public Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(originator, "originator");
        recipients = List.copyOf(Objects.requireNonNull(recipients, "recipients"));
        if (recipients.isEmpty()) throw new IllegalArgumentException("a message needs at least one recipient");
        if (recipients.size() > MAX_RECIPIENTS) throw new IllegalArgumentException("more than " + MAX_RECIPIENTS + " recipients");
        Set<Address> seen = new HashSet<>();
        for (Recipient r : recipients) {
            if (!seen.add(r.address())) throw new IllegalArgumentException("recipient named twice: " + r.address());
        }
        if (messageClass == null) messageClass = MessageClass.PERSONAL;
        if (priority == null) priority = Priority.NORMAL;
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(contentType, "content type");
        parts = List.copyOf(Objects.requireNonNull(parts, "parts"));
        if (!contentType.isMultipart() && parts.size() > 1) {
            throw new IllegalArgumentException("a " + contentType.mediaType() + " message has exactly one part, got " + parts.size());
        }
        Objects.requireNonNull(origin, "origin");
    }

    /** A message without a charged party or distribution indicator (what every interface but MM7 builds). */
    public Message(MessageId id, Address originator, List<Recipient> recipients, EncodedText subject, MessageClass messageClass,
                   Priority priority, Instant date, TimeSpec expiry, TimeSpec earliestDelivery, boolean deliveryReportRequested,
                   boolean readReportRequested, boolean senderHidden, ReplyCharging replyCharging, ContentType contentType,
                   List<MessagePart> parts, Origin origin) {
        this(id, originator, recipients, subject, messageClass, priority, date, expiry, earliestDelivery, deliveryReportRequested,
                readReportRequested, senderHidden, replyCharging, contentType, parts, origin, null, null);
    }

    /** Whether the recipient may forward the content: only an explicit {@code false} forbids it. */
    public boolean forwardable() {
        return !Boolean.FALSE.equals(distributionIndicator);
    }

    /** Content size in bytes: the sum of the parts' bodies (what MMS calls X-Mms-Message-Size, bar framing). */
    public long contentSize() {
        long size = 0;
        for (MessagePart p : parts) size += p.size();
        return size;
    }

    public Message withId(MessageId newId) {
        return new Message(newId, originator, recipients, subject, messageClass, priority, date, expiry, earliestDelivery,
                deliveryReportRequested, readReportRequested, senderHidden, replyCharging, contentType, parts, origin,
                chargedParty, distributionIndicator);
    }

    /**
     * The same message with new content and the fields a replacement may change (MM7 ReplaceReq):
     * recipients, originator, expiry and reports stay as accepted, since deliveries were routed and
     * scheduled from them.
     */
    public Message replacedBy(Instant newDate, boolean newReadReportRequested, ContentType newContentType, List<MessagePart> newParts,
                              Origin newOrigin, Boolean newDistributionIndicator) {
        return new Message(id, originator, recipients, subject, messageClass, priority, newDate, expiry, earliestDelivery,
                deliveryReportRequested, newReadReportRequested, senderHidden, replyCharging, newContentType, newParts, newOrigin,
                chargedParty, newDistributionIndicator);
    }
}
