package org.openmmsc.mm1.codec;

/**
 * An MMS 1.3 PDU (OMA-TS-MMS_ENC 1.3 §6): one immutable record per X-Mms-Message-Type. Every record
 * holds all its header fields in wire order (unknown and application headers included, so they
 * re-encode) and, where the PDU has one, the body after Content-Type. The constructors reject a
 * header set that lacks a mandatory field of the type ({@link MessageType#mandatoryFields()}).
 */
public sealed interface MmsPdu permits MmsPdu.SendReq, MmsPdu.SendConf, MmsPdu.NotificationInd, MmsPdu.NotifyRespInd, MmsPdu.RetrieveConf, MmsPdu.AcknowledgeInd, MmsPdu.DeliveryInd, MmsPdu.ReadRecInd, MmsPdu.ReadOrigInd, MmsPdu.ForwardReq, MmsPdu.ForwardConf, MmsPdu.MboxStoreReq, MmsPdu.MboxStoreConf, MmsPdu.MboxViewReq, MmsPdu.MboxViewConf, MmsPdu.MboxUploadReq, MmsPdu.MboxUploadConf, MmsPdu.MboxDeleteReq, MmsPdu.MboxDeleteConf, MmsPdu.MboxDescr, MmsPdu.DeleteReq, MmsPdu.DeleteConf, MmsPdu.CancelReq, MmsPdu.CancelConf {

    MessageType messageType();

    /** Header fields in wire order, without X-Mms-Message-Type. */
    MmsHeaders headers();

    /** The body after Content-Type, or null when the PDU carries none. */
    MessageBody body();

    default String transactionId() {
        return headers().text(MmsField.TRANSACTION_ID);
    }

    default HeaderValue.Version version() {
        return headers().first(MmsField.MMS_VERSION) instanceof HeaderValue.Version version ? version : null;
    }

    /** Builds the record for a message type; throws IllegalArgumentException when a mandatory header is missing. */
    static MmsPdu create(MessageType type, MmsHeaders headers, MessageBody body) {
        return switch (type) {
            case M_SEND_REQ -> new SendReq(headers, body);
            case M_SEND_CONF -> new SendConf(headers, body);
            case M_NOTIFICATION_IND -> new NotificationInd(headers, body);
            case M_NOTIFYRESP_IND -> new NotifyRespInd(headers, body);
            case M_RETRIEVE_CONF -> new RetrieveConf(headers, body);
            case M_ACKNOWLEDGE_IND -> new AcknowledgeInd(headers, body);
            case M_DELIVERY_IND -> new DeliveryInd(headers, body);
            case M_READ_REC_IND -> new ReadRecInd(headers, body);
            case M_READ_ORIG_IND -> new ReadOrigInd(headers, body);
            case M_FORWARD_REQ -> new ForwardReq(headers, body);
            case M_FORWARD_CONF -> new ForwardConf(headers, body);
            case M_MBOX_STORE_REQ -> new MboxStoreReq(headers, body);
            case M_MBOX_STORE_CONF -> new MboxStoreConf(headers, body);
            case M_MBOX_VIEW_REQ -> new MboxViewReq(headers, body);
            case M_MBOX_VIEW_CONF -> new MboxViewConf(headers, body);
            case M_MBOX_UPLOAD_REQ -> new MboxUploadReq(headers, body);
            case M_MBOX_UPLOAD_CONF -> new MboxUploadConf(headers, body);
            case M_MBOX_DELETE_REQ -> new MboxDeleteReq(headers, body);
            case M_MBOX_DELETE_CONF -> new MboxDeleteConf(headers, body);
            case M_MBOX_DESCR -> new MboxDescr(headers, body);
            case M_DELETE_REQ -> new DeleteReq(headers, body);
            case M_DELETE_CONF -> new DeleteConf(headers, body);
            case M_CANCEL_REQ -> new CancelReq(headers, body);
            case M_CANCEL_CONF -> new CancelConf(headers, body);
        };
    }

    /** The first mandatory field missing from {@code headers} for {@code type}, or null. */
    static MmsField missingMandatory(MessageType type, MmsHeaders headers) {
        if (!headers.has(MmsField.MMS_VERSION)) {
            return MmsField.MMS_VERSION;
        }
        for (MmsField field : type.mandatoryFields()) {
            if (!headers.has(field)) {
                return field;
            }
        }
        return null;
    }

    private static void check(MessageType type, MmsHeaders headers, MessageBody body) {
        if (headers == null) {
            throw new IllegalArgumentException("headers required");
        }
        MmsField missing = missingMandatory(type, headers);
        if (missing != null) {
            throw new IllegalArgumentException(type.wireName() + " lacks mandatory " + missing.headerName());
        }
        if (body != null && !headers.has(MmsField.CONTENT_TYPE)) {
            throw new IllegalArgumentException(type.wireName() + " has a body but no Content-Type");
        }
    }

    /** The m-send-req PDU. */
    record SendReq(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public SendReq {
            check(MessageType.M_SEND_REQ, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_SEND_REQ;
        }

        /** From: an address, or the insert-address token; null when absent. */
        public HeaderValue.From from() {
            return (HeaderValue.From) headers().first(MmsField.FROM);
        }

        public java.util.List<String> to() {
            return headers().addresses(MmsField.TO);
        }

        public java.util.List<String> cc() {
            return headers().addresses(MmsField.CC);
        }

        public java.util.List<String> bcc() {
            return headers().addresses(MmsField.BCC);
        }

        public EncodedString subject() {
            return headers().encoded(MmsField.SUBJECT);
        }

        /** Date in epoch seconds, or -1. */
        public long date() {
            return headers().number(MmsField.DATE);
        }

        public ContentType contentType() {
            return headers().first(MmsField.CONTENT_TYPE) instanceof HeaderValue.ContentTypeValue value ? value.contentType() : null;
        }
    }

    /** The m-send-conf PDU. */
    record SendConf(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public SendConf {
            check(MessageType.M_SEND_CONF, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_SEND_CONF;
        }

        public int responseStatus() {
            return headers().token(MmsField.RESPONSE_STATUS);
        }

        public String messageId() {
            return headers().text(MmsField.MESSAGE_ID);
        }
    }

    /** The m-notification-ind PDU. */
    record NotificationInd(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public NotificationInd {
            check(MessageType.M_NOTIFICATION_IND, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_NOTIFICATION_IND;
        }

        /** From: an address, or the insert-address token; null when absent. */
        public HeaderValue.From from() {
            return (HeaderValue.From) headers().first(MmsField.FROM);
        }

        public EncodedString subject() {
            return headers().encoded(MmsField.SUBJECT);
        }

        public String messageClass() {
            return MmsTokens.describe(MmsField.MESSAGE_CLASS, headers().first(MmsField.MESSAGE_CLASS));
        }

        public long messageSize() {
            return headers().number(MmsField.MESSAGE_SIZE);
        }

        public HeaderValue.Time expiry() {
            return headers().first(MmsField.EXPIRY) instanceof HeaderValue.Time time ? time : null;
        }

        public String contentLocation() {
            return headers().text(MmsField.CONTENT_LOCATION);
        }
    }

    /** The m-notifyresp-ind PDU. */
    record NotifyRespInd(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public NotifyRespInd {
            check(MessageType.M_NOTIFYRESP_IND, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_NOTIFYRESP_IND;
        }

        public int status() {
            return headers().token(MmsField.STATUS);
        }
    }

    /** The m-retrieve-conf PDU. */
    record RetrieveConf(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public RetrieveConf {
            check(MessageType.M_RETRIEVE_CONF, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_RETRIEVE_CONF;
        }

        /** From: an address, or the insert-address token; null when absent. */
        public HeaderValue.From from() {
            return (HeaderValue.From) headers().first(MmsField.FROM);
        }

        public java.util.List<String> to() {
            return headers().addresses(MmsField.TO);
        }

        public java.util.List<String> cc() {
            return headers().addresses(MmsField.CC);
        }

        public EncodedString subject() {
            return headers().encoded(MmsField.SUBJECT);
        }

        /** Date in epoch seconds, or -1. */
        public long date() {
            return headers().number(MmsField.DATE);
        }

        public String messageId() {
            return headers().text(MmsField.MESSAGE_ID);
        }

        public ContentType contentType() {
            return headers().first(MmsField.CONTENT_TYPE) instanceof HeaderValue.ContentTypeValue value ? value.contentType() : null;
        }
    }

    /** The m-acknowledge-ind PDU. */
    record AcknowledgeInd(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public AcknowledgeInd {
            check(MessageType.M_ACKNOWLEDGE_IND, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_ACKNOWLEDGE_IND;
        }
    }

    /** The m-delivery-ind PDU. */
    record DeliveryInd(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public DeliveryInd {
            check(MessageType.M_DELIVERY_IND, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_DELIVERY_IND;
        }

        public String messageId() {
            return headers().text(MmsField.MESSAGE_ID);
        }

        public java.util.List<String> to() {
            return headers().addresses(MmsField.TO);
        }

        /** Date in epoch seconds, or -1. */
        public long date() {
            return headers().number(MmsField.DATE);
        }

        public int status() {
            return headers().token(MmsField.STATUS);
        }
    }

    /** The m-read-rec-ind PDU. */
    record ReadRecInd(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public ReadRecInd {
            check(MessageType.M_READ_REC_IND, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_READ_REC_IND;
        }

        public String messageId() {
            return headers().text(MmsField.MESSAGE_ID);
        }

        public java.util.List<String> to() {
            return headers().addresses(MmsField.TO);
        }

        /** From: an address, or the insert-address token; null when absent. */
        public HeaderValue.From from() {
            return (HeaderValue.From) headers().first(MmsField.FROM);
        }

        /** Date in epoch seconds, or -1. */
        public long date() {
            return headers().number(MmsField.DATE);
        }

        public int readStatus() {
            return headers().token(MmsField.READ_STATUS);
        }
    }

    /** The m-read-orig-ind PDU. */
    record ReadOrigInd(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public ReadOrigInd {
            check(MessageType.M_READ_ORIG_IND, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_READ_ORIG_IND;
        }

        public String messageId() {
            return headers().text(MmsField.MESSAGE_ID);
        }

        public java.util.List<String> to() {
            return headers().addresses(MmsField.TO);
        }

        /** From: an address, or the insert-address token; null when absent. */
        public HeaderValue.From from() {
            return (HeaderValue.From) headers().first(MmsField.FROM);
        }

        /** Date in epoch seconds, or -1. */
        public long date() {
            return headers().number(MmsField.DATE);
        }

        public int readStatus() {
            return headers().token(MmsField.READ_STATUS);
        }
    }

    /** The m-forward-req PDU. */
    record ForwardReq(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public ForwardReq {
            check(MessageType.M_FORWARD_REQ, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_FORWARD_REQ;
        }

        /** From: an address, or the insert-address token; null when absent. */
        public HeaderValue.From from() {
            return (HeaderValue.From) headers().first(MmsField.FROM);
        }

        public java.util.List<String> to() {
            return headers().addresses(MmsField.TO);
        }

        public java.util.List<String> cc() {
            return headers().addresses(MmsField.CC);
        }

        public java.util.List<String> bcc() {
            return headers().addresses(MmsField.BCC);
        }

        public String contentLocation() {
            return headers().text(MmsField.CONTENT_LOCATION);
        }
    }

    /** The m-forward-conf PDU. */
    record ForwardConf(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public ForwardConf {
            check(MessageType.M_FORWARD_CONF, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_FORWARD_CONF;
        }

        public int responseStatus() {
            return headers().token(MmsField.RESPONSE_STATUS);
        }

        public String messageId() {
            return headers().text(MmsField.MESSAGE_ID);
        }
    }

    /** The m-mbox-store-req PDU. */
    record MboxStoreReq(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public MboxStoreReq {
            check(MessageType.M_MBOX_STORE_REQ, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_MBOX_STORE_REQ;
        }

        public String contentLocation() {
            return headers().text(MmsField.CONTENT_LOCATION);
        }
    }

    /** The m-mbox-store-conf PDU. */
    record MboxStoreConf(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public MboxStoreConf {
            check(MessageType.M_MBOX_STORE_CONF, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_MBOX_STORE_CONF;
        }

        public String contentLocation() {
            return headers().text(MmsField.CONTENT_LOCATION);
        }
    }

    /** The m-mbox-view-req PDU. */
    record MboxViewReq(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public MboxViewReq {
            check(MessageType.M_MBOX_VIEW_REQ, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_MBOX_VIEW_REQ;
        }
    }

    /** The m-mbox-view-conf PDU. */
    record MboxViewConf(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public MboxViewConf {
            check(MessageType.M_MBOX_VIEW_CONF, headers, body);
        }

        /** The m-mbox-descr PDUs carried as the parts of the body, decoded with {@code decoder}. */
        public java.util.List<MboxDescr> descriptions(MmsDecoder decoder) throws DecodeException {
            java.util.List<MboxDescr> descriptions = new java.util.ArrayList<>();
            if (body instanceof MessageBody.Multipart multipart) {
                for (Part part : multipart.parts()) {
                    MmsPdu pdu = decoder.decode(part.data().array(), part.data().offset(), part.data().length());
                    if (!(pdu instanceof MboxDescr description)) {
                        throw new DecodeException(DecodeException.Reason.MALFORMED_VALUE, part.data().offset(),
                                "m-mbox-view-conf part is a " + pdu.messageType().wireName());
                    }
                    descriptions.add(description);
                }
            }
            return descriptions;
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_MBOX_VIEW_CONF;
        }

        public int responseStatus() {
            return headers().token(MmsField.RESPONSE_STATUS);
        }

        public ContentType contentType() {
            return headers().first(MmsField.CONTENT_TYPE) instanceof HeaderValue.ContentTypeValue value ? value.contentType() : null;
        }
    }

    /** The m-mbox-upload-req PDU. */
    record MboxUploadReq(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public MboxUploadReq {
            check(MessageType.M_MBOX_UPLOAD_REQ, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_MBOX_UPLOAD_REQ;
        }

        public ContentType contentType() {
            return headers().first(MmsField.CONTENT_TYPE) instanceof HeaderValue.ContentTypeValue value ? value.contentType() : null;
        }
    }

    /** The m-mbox-upload-conf PDU. */
    record MboxUploadConf(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public MboxUploadConf {
            check(MessageType.M_MBOX_UPLOAD_CONF, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_MBOX_UPLOAD_CONF;
        }

        public String contentLocation() {
            return headers().text(MmsField.CONTENT_LOCATION);
        }
    }

    /** The m-mbox-delete-req PDU. */
    record MboxDeleteReq(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public MboxDeleteReq {
            check(MessageType.M_MBOX_DELETE_REQ, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_MBOX_DELETE_REQ;
        }
    }

    /** The m-mbox-delete-conf PDU. */
    record MboxDeleteConf(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public MboxDeleteConf {
            check(MessageType.M_MBOX_DELETE_CONF, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_MBOX_DELETE_CONF;
        }

        public int responseStatus() {
            return headers().token(MmsField.RESPONSE_STATUS);
        }
    }

    /** The m-mbox-descr PDU. */
    record MboxDescr(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public MboxDescr {
            check(MessageType.M_MBOX_DESCR, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_MBOX_DESCR;
        }

        /** From: an address, or the insert-address token; null when absent. */
        public HeaderValue.From from() {
            return (HeaderValue.From) headers().first(MmsField.FROM);
        }

        public java.util.List<String> to() {
            return headers().addresses(MmsField.TO);
        }

        public EncodedString subject() {
            return headers().encoded(MmsField.SUBJECT);
        }

        /** Date in epoch seconds, or -1. */
        public long date() {
            return headers().number(MmsField.DATE);
        }

        public String messageId() {
            return headers().text(MmsField.MESSAGE_ID);
        }

        public String contentLocation() {
            return headers().text(MmsField.CONTENT_LOCATION);
        }

        public ContentType contentType() {
            return headers().first(MmsField.CONTENT_TYPE) instanceof HeaderValue.ContentTypeValue value ? value.contentType() : null;
        }
    }

    /** The m-delete-req PDU. */
    record DeleteReq(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public DeleteReq {
            check(MessageType.M_DELETE_REQ, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_DELETE_REQ;
        }
    }

    /** The m-delete-conf PDU. */
    record DeleteConf(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public DeleteConf {
            check(MessageType.M_DELETE_CONF, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_DELETE_CONF;
        }

        public int responseStatus() {
            return headers().token(MmsField.RESPONSE_STATUS);
        }
    }

    /** The m-cancel-req PDU. */
    record CancelReq(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public CancelReq {
            check(MessageType.M_CANCEL_REQ, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_CANCEL_REQ;
        }

        public String cancelId() {
            return headers().text(MmsField.CANCEL_ID);
        }
    }

    /** The m-cancel-conf PDU. */
    record CancelConf(MmsHeaders headers, MessageBody body) implements MmsPdu {
        public CancelConf {
            check(MessageType.M_CANCEL_CONF, headers, body);
        }

        @Override
        public MessageType messageType() {
            return MessageType.M_CANCEL_CONF;
        }

        public int cancelStatus() {
            return headers().token(MmsField.CANCEL_STATUS);
        }
    }
}
