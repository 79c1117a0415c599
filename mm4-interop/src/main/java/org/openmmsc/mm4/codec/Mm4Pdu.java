package org.openmmsc.mm4.codec;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.MessageClass;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.Priority;
import org.openmmsc.core.model.TimeSpec;

/**
 * The MM4 messages (TS 23.140 §8.4) as plain records. Addresses stay as written (MMS form,
 * possibly with "@domain"); the service maps them with the operator's numbering plan. Every
 * X-Mms-* header the message carried is also kept in {@code mmsHeaders} (lower-case name →
 * value), so nothing a peer sent is lost even where no typed field exists.
 */
public sealed interface Mm4Pdu {

    Mm4Type type();

    String version();

    String transactionId();

    String messageId();

    /** MM4_forward.REQ. Boolean fields are null when the header was absent. */
    record ForwardRequest(
            String version, String transactionId, String messageId,
            String from, List<String> to, List<String> cc, String subject, Instant date, String sender,
            boolean ackRequested, String originatorSystem,
            MessageClass messageClass, Priority priority, TimeSpec expiry,
            Boolean deliveryReport, Boolean originatorRsDeliveryReport, Boolean senderHidden, Boolean readReply,
            Integer forwardCounter, List<String> previouslySentBy, List<String> previouslySentDateAndTime,
            String vaspId, String vasId, String serviceCode, String chargedPartyId, String linkedId,
            Boolean adaptationAllowed, String contentClass, Boolean drmContent,
            String applicId, String replyApplicId, String auxApplicInfo,
            String rfcMessageId, int receivedCount,
            ContentType contentType, List<MessagePart> parts, Map<String, String> mmsHeaders) implements Mm4Pdu {
        public ForwardRequest {
            Objects.requireNonNull(transactionId, "transaction id");
            to = to == null ? List.of() : List.copyOf(to);
            cc = cc == null ? List.of() : List.copyOf(cc);
            previouslySentBy = previouslySentBy == null ? List.of() : List.copyOf(previouslySentBy);
            previouslySentDateAndTime = previouslySentDateAndTime == null ? List.of() : List.copyOf(previouslySentDateAndTime);
            Objects.requireNonNull(contentType, "content type");
            parts = List.copyOf(parts);
            mmsHeaders = mmsHeaders == null ? Map.of() : Map.copyOf(mmsHeaders);
        }

        @Override
        public Mm4Type type() {
            return Mm4Type.FORWARD_REQ;
        }
    }

    /** MM4_forward.RES, MM4_delivery_report.RES, MM4_read_reply_report.RES. */
    record Response(Mm4Type type, String version, String transactionId, String messageId, String requestStatusCode,
                    String statusText, String originatorSystem, List<String> requestRecipients) implements Mm4Pdu {
        public Response {
            Objects.requireNonNull(type, "type");
            if (!type.isResponse()) throw new IllegalArgumentException(type + " is not a response");
            Objects.requireNonNull(transactionId, "transaction id");
            requestRecipients = requestRecipients == null ? List.of() : List.copyOf(requestRecipients);
        }

        /** "Ok" in any capitalisation means the request was taken. */
        public boolean ok() {
            return requestStatusCode != null && requestStatusCode.strip().equalsIgnoreCase("Ok");
        }
    }

    /** MM4_delivery_report.REQ: {@code from} is the recipient whose status is reported, {@code to} the original sender. */
    record DeliveryReport(String version, String transactionId, String messageId, String from, String to, Instant date,
                          boolean ackRequested, Boolean forwardToOriginatorUa, String mmStatusCode, String mmStatusExtension,
                          String statusText, String originatorSystem, String applicId, String auxApplicInfo) implements Mm4Pdu {
        public DeliveryReport {
            Objects.requireNonNull(transactionId, "transaction id");
            Objects.requireNonNull(messageId, "message id");
            Objects.requireNonNull(mmStatusCode, "MM status code");
        }

        @Override
        public Mm4Type type() {
            return Mm4Type.DELIVERY_REPORT_REQ;
        }
    }

    /** MM4_read_reply_report.REQ: {@code from} is the reader, {@code to} the original sender. */
    record ReadReplyReport(String version, String transactionId, String messageId, String from, String to, Instant date,
                           boolean ackRequested, String readStatus, String statusText, String originatorSystem) implements Mm4Pdu {
        public ReadReplyReport {
            Objects.requireNonNull(transactionId, "transaction id");
            Objects.requireNonNull(messageId, "message id");
            Objects.requireNonNull(readStatus, "read status");
        }

        @Override
        public Mm4Type type() {
            return Mm4Type.READ_REPLY_REPORT_REQ;
        }
    }
}
