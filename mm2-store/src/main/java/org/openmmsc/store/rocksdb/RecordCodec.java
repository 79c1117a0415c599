package org.openmmsc.store.rocksdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openmmsc.core.model.Address;
import org.openmmsc.core.model.ChargedParty;
import org.openmmsc.core.model.ContentType;
import org.openmmsc.core.model.DeliveryEvent;
import org.openmmsc.core.model.DeliveryState;
import org.openmmsc.core.model.EncodedText;
import org.openmmsc.core.model.Interface;
import org.openmmsc.core.model.Message;
import org.openmmsc.core.model.MessageClass;
import org.openmmsc.core.model.MessageId;
import org.openmmsc.core.model.MessagePart;
import org.openmmsc.core.model.Origin;
import org.openmmsc.core.model.Priority;
import org.openmmsc.core.model.Recipient;
import org.openmmsc.core.model.RecipientDelivery;
import org.openmmsc.core.model.RecipientStatus;
import org.openmmsc.core.model.ReplyCharging;
import org.openmmsc.core.model.Route;
import org.openmmsc.core.model.RouteKind;
import org.openmmsc.core.model.TimeSpec;
import org.openmmsc.core.spi.StoreException;

/**
 * Binary form of the store's records. Hand-written rather than reflective so the format is
 * explicit, versioned by a leading byte, and cheap on the accept path. Enums are written by name
 * so reordering an enum cannot silently change stored meaning.
 */
final class RecordCodec {
    /**
     * 1: first format. 2: adds the origin's interface version (after the origin's other fields).
     * 3: adds ChargedParty and DistributionIndicator after that. All are read; what an older record lacks reads as unset.
     */
    private static final byte MESSAGE_FORMAT = 3;
    /** 1: first format. 2: adds whether the recipient allows delivery reports (at the end). Both are read. */
    private static final byte DELIVERY_FORMAT = 2;

    private RecordCodec() {}

    /** Where a part's body lives in the blob files. */
    record BodyRef(long offset, int length, int crc32c) {}

    /**
     * A message record as stored: the message (with its bodies when they are inline, empty
     * placeholders otherwise), the blob file and body locations when they are not, and when the
     * message expires.
     */
    record StoredMessage(Message message, long blobFile, List<BodyRef> bodies, Instant expiresAt) {
        boolean bodiesInline() {
            return blobFile == INLINE;
        }
    }

    /** Blob file number of a message whose bodies are in its record (small ones: one WAL write, no blob sync). */
    static final long INLINE = -1;

    // ------------------------------------------------------------------ messages

    /**
     * Everything of a message record but where its bodies live. Encoded by the caller's thread
     * so the single writer thread only appends body locations.
     */
    static byte[] encodeMessageHead(Message m, Instant expiresAt) {
        Out out = new Out(512);
        out.writeByte(MESSAGE_FORMAT);
        out.string(m.id().value());
        address(out, m.originator());
        out.writeInt(m.recipients().size());
        for (Recipient r : m.recipients()) {
            address(out, r.address());
            out.string(r.kind().name());
        }
        out.writeBoolean(m.subject() != null);
        if (m.subject() != null) {
            out.string(m.subject().text());
            out.string(m.subject().charset());
        }
        out.string(m.messageClass().name());
        out.string(m.priority().name());
        out.instant(m.date());
        timeSpec(out, m.expiry());
        timeSpec(out, m.earliestDelivery());
        out.writeBoolean(m.deliveryReportRequested());
        out.writeBoolean(m.readReportRequested());
        out.writeBoolean(m.senderHidden());
        ReplyCharging rc = m.replyCharging();
        out.writeBoolean(rc != null);
        if (rc != null) {
            out.string(rc.mode().name());
            timeSpec(out, rc.deadline());
            out.writeBoolean(rc.maxSize() != null);
            if (rc.maxSize() != null) out.writeLong(rc.maxSize());
            out.string(rc.replyChargingId());
        }
        contentType(out, m.contentType());
        Origin o = m.origin();
        out.string(o.iface().name());
        out.string(o.authenticatedSender());
        out.string(o.transactionId());
        out.string(o.vaspId());
        out.string(o.vasId());
        out.string(o.serviceCode());
        out.string(o.linkedId());
        out.string(o.originatorSystem());
        out.string(o.originatorMessageId());
        out.string(o.interfaceVersion());
        out.string(m.chargedParty() == null ? null : m.chargedParty().name());
        out.writeByte(m.distributionIndicator() == null ? 0 : m.distributionIndicator() ? 2 : 1);
        out.instant(expiresAt);
        out.writeInt(m.parts().size());
        for (MessagePart p : m.parts()) {
            contentType(out, p.contentType());
            out.writeInt(p.headers().size());
            for (MessagePart.Header h : p.headers()) {
                out.string(h.name());
                out.string(h.value());
            }
        }
        return out.bytes();
    }

    /** The full record: the head, then the bodies themselves (inline) or their blob locations. */
    static byte[] encodeMessageRecord(byte[] head, Message m, long blobFile, List<BodyRef> refs) {
        Out out = new Out(head.length + 16 + (blobFile == INLINE ? (int) m.contentSize() + 4 * m.parts().size() : 16 * refs.size()));
        out.writeBytes(head);
        out.writeLong(blobFile);
        for (int i = 0; i < m.parts().size(); i++) {
            if (blobFile == INLINE) {
                byte[] body = m.parts().get(i).content();
                out.writeInt(body.length);
                out.writeBytes(body);
            } else {
                BodyRef ref = refs.get(i);
                out.writeLong(ref.offset());
                out.writeInt(ref.length());
                out.writeInt(ref.crc32c());
            }
        }
        return out.bytes();
    }

    /** Decodes a message record; bodies kept in blob files are empty placeholders until {@link #withBodies}. */
    static StoredMessage decodeMessage(byte[] bytes) {
        In in = new In(bytes);
        try {
            int format = in.readByte();
            if (format < 1 || format > MESSAGE_FORMAT) throw new StoreException("unknown message record format " + format);
            MessageId id = new MessageId(in.string());
            Address originator = address(in);
            int recipientCount = in.readInt();
            List<Recipient> recipients = new ArrayList<>(recipientCount);
            for (int i = 0; i < recipientCount; i++) {
                recipients.add(new Recipient(address(in), Recipient.Kind.valueOf(in.string())));
            }
            EncodedText subject = in.readBoolean() ? new EncodedText(in.string(), in.string()) : null;
            MessageClass messageClass = MessageClass.valueOf(in.string());
            Priority priority = Priority.valueOf(in.string());
            Instant date = in.instant();
            TimeSpec expiry = timeSpec(in);
            TimeSpec earliest = timeSpec(in);
            boolean deliveryReport = in.readBoolean();
            boolean readReport = in.readBoolean();
            boolean senderHidden = in.readBoolean();
            ReplyCharging replyCharging = null;
            if (in.readBoolean()) {
                ReplyCharging.Mode mode = ReplyCharging.Mode.valueOf(in.string());
                TimeSpec deadline = timeSpec(in);
                Long maxSize = in.readBoolean() ? in.readLong() : null;
                replyCharging = new ReplyCharging(mode, deadline, maxSize, in.string());
            }
            ContentType contentType = contentType(in);
            Origin origin = new Origin(Interface.valueOf(in.string()), in.string(), in.string(), in.string(), in.string(),
                    in.string(), in.string(), in.string(), in.string(), format >= 2 ? in.string() : null);
            ChargedParty chargedParty = null;
            Boolean distributionIndicator = null;
            if (format >= 3) {
                String charged = in.string();
                chargedParty = charged == null ? null : ChargedParty.valueOf(charged);
                int di = in.readByte();
                if (di < 0 || di > 2) throw new IOException("distribution indicator byte " + di);
                distributionIndicator = di == 0 ? null : di == 2;
            }
            Instant expiresAt = in.instant();
            int partCount = in.readInt();
            List<ContentType> partTypes = new ArrayList<>(partCount);
            List<List<MessagePart.Header>> partHeaders = new ArrayList<>(partCount);
            for (int i = 0; i < partCount; i++) {
                partTypes.add(contentType(in));
                int headerCount = in.readInt();
                List<MessagePart.Header> headers = new ArrayList<>(headerCount);
                for (int h = 0; h < headerCount; h++) headers.add(new MessagePart.Header(in.string(), in.string()));
                partHeaders.add(headers);
            }
            long blobFile = in.readLong();
            List<MessagePart> parts = new ArrayList<>(partCount);
            List<BodyRef> refs = new ArrayList<>(partCount);
            for (int i = 0; i < partCount; i++) {
                byte[] body = EMPTY;
                if (blobFile == INLINE) {
                    int length = in.readInt();
                    if (length < 0 || length > in.available()) throw new IOException("inline body length " + length + " past the record's end");
                    body = new byte[length];
                    in.readFully(body);
                } else {
                    refs.add(new BodyRef(in.readLong(), in.readInt(), in.readInt()));
                }
                parts.add(new MessagePart(partTypes.get(i), partHeaders.get(i), body));
            }
            Message header = new Message(id, originator, recipients, subject, messageClass, priority, date, expiry, earliest,
                    deliveryReport, readReport, senderHidden, replyCharging, contentType, parts, origin, chargedParty, distributionIndicator);
            return new StoredMessage(header, blobFile, blobFile == INLINE ? List.of() : refs, expiresAt);
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new StoreException("corrupt message record", e);
        }
    }

    private static final byte[] EMPTY = new byte[0];

    static Message withBodies(Message header, List<byte[]> bodies) {
        List<MessagePart> parts = new ArrayList<>(header.parts().size());
        for (int i = 0; i < header.parts().size(); i++) {
            MessagePart p = header.parts().get(i);
            parts.add(new MessagePart(p.contentType(), p.headers(), bodies.get(i)));
        }
        return new Message(header.id(), header.originator(), header.recipients(), header.subject(), header.messageClass(),
                header.priority(), header.date(), header.expiry(), header.earliestDelivery(), header.deliveryReportRequested(),
                header.readReportRequested(), header.senderHidden(), header.replyCharging(), header.contentType(), parts,
                header.origin(), header.chargedParty(), header.distributionIndicator());
    }

    // ------------------------------------------------------------------ deliveries

    static byte[] encodeDelivery(RecipientDelivery d) {
        Out out = new Out(256);
        out.writeByte(DELIVERY_FORMAT);
        out.string(d.messageId().value());
        out.writeInt(d.recipientIndex());
        address(out, d.recipient().address());
        out.string(d.recipient().kind().name());
        out.string(d.route().kind().name());
        out.string(d.route().target());
        out.string(d.state().name());
        out.string(d.recipientStatus().name());
        out.writeInt(d.attempts());
        out.instant(d.nextAttemptAt());
        out.instant(d.expiresAt());
        out.string(d.lastError());
        out.writeInt(d.history().size());
        for (DeliveryEvent e : d.history()) {
            out.instant(e.at());
            out.string(e.from() == null ? null : e.from().name());
            out.string(e.to().name());
            out.string(e.recipientStatus().name());
            out.string(e.detail());
        }
        out.writeLong(d.fence());
        out.writeBoolean(d.lease() != null);
        if (d.lease() != null) {
            out.string(d.lease().owner());
            out.instant(d.lease().until());
        }
        out.writeBoolean(d.deliveryReportAllowed());
        return out.bytes();
    }

    static RecipientDelivery decodeDelivery(byte[] bytes) {
        In in = new In(bytes);
        try {
            int format = in.readByte();
            if (format != 1 && format != DELIVERY_FORMAT) throw new StoreException("unknown delivery record format " + format);
            MessageId id = new MessageId(in.string());
            int index = in.readInt();
            Recipient recipient = new Recipient(address(in), Recipient.Kind.valueOf(in.string()));
            Route route = new Route(RouteKind.valueOf(in.string()), in.string());
            DeliveryState state = DeliveryState.valueOf(in.string());
            RecipientStatus status = RecipientStatus.valueOf(in.string());
            int attempts = in.readInt();
            Instant next = in.instant();
            Instant expiresAt = in.instant();
            String lastError = in.string();
            int historySize = in.readInt();
            List<DeliveryEvent> history = new ArrayList<>(historySize);
            for (int i = 0; i < historySize; i++) {
                Instant at = in.instant();
                String from = in.string();
                history.add(new DeliveryEvent(at, from == null ? null : DeliveryState.valueOf(from),
                        DeliveryState.valueOf(in.string()), RecipientStatus.valueOf(in.string()), in.string()));
            }
            long fence = in.readLong();
            RecipientDelivery.Lease lease = in.readBoolean() ? new RecipientDelivery.Lease(in.string(), in.instant()) : null;
            // Format 1 predates Report-Allowed: nobody had forbidden a report.
            boolean reportAllowed = format < 2 || in.readBoolean();
            return new RecipientDelivery(id, index, recipient, route, state, status, attempts, next, expiresAt, lastError,
                    history, fence, lease, reportAllowed);
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new StoreException("corrupt delivery record", e);
        }
    }

    // ------------------------------------------------------------------ idempotency entries

    record KeyEntry(MessageId id, Instant expiresAt) {}

    static byte[] encodeKeyEntry(MessageId id, Instant expiresAt) {
        Out out = new Out(48);
        out.string(id.value());
        out.instant(expiresAt);
        return out.bytes();
    }

    static KeyEntry decodeKeyEntry(byte[] bytes) {
        In in = new In(bytes);
        try {
            return new KeyEntry(new MessageId(in.string()), in.instant());
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            throw new StoreException("corrupt idempotency record", e);
        }
    }

    // ------------------------------------------------------------------ pieces

    private static void address(Out out, Address a) {
        out.string(a.type().name());
        out.string(a.value());
    }

    private static Address address(In in) throws IOException {
        return new Address(Address.Type.valueOf(in.string()), in.string());
    }

    private static void contentType(Out out, ContentType ct) {
        out.string(ct.mediaType());
        out.writeInt(ct.parameters().size());
        ct.parameters().forEach((k, v) -> {
            out.string(k);
            out.string(v);
        });
    }

    private static ContentType contentType(In in) throws IOException {
        String media = in.string();
        int count = in.readInt();
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) params.put(in.string(), in.string());
        return new ContentType(media, params);
    }

    private static void timeSpec(Out out, TimeSpec spec) {
        switch (spec) {
            case null -> out.writeByte(0);
            case TimeSpec.Absolute a -> {
                out.writeByte(1);
                out.instant(a.at());
            }
            case TimeSpec.Relative r -> {
                out.writeByte(2);
                out.writeLong(r.after().getSeconds());
                out.writeInt(r.after().getNano());
            }
        }
    }

    private static TimeSpec timeSpec(In in) throws IOException {
        int tag = in.readByte();
        return switch (tag) {
            case 0 -> null;
            case 1 -> TimeSpec.at(in.instant());
            case 2 -> TimeSpec.after(Duration.ofSeconds(in.readLong(), in.readInt()));
            default -> throw new IOException("unknown time spec tag " + tag);
        };
    }

    /**
     * A growable byte array with the primitive writes the records need (big-endian, as
     * DataOutputStream wrote them). Plain array writes rather than DataOutputStream over a
     * ByteArrayOutputStream: those synchronise on every write and copy the whole record once more at
     * the end, and records are built on the accept path (docs/performance.md). {@link #bytes()} hands
     * out the array itself when the caller sized it exactly.
     */
    private static final class Out {
        private byte[] buf;
        private int size;

        Out(int capacity) {
            buf = new byte[Math.max(16, capacity)];
        }

        private void ensure(int more) {
            if (size + more > buf.length) buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }

        void string(String s) {
            if (s == null) {
                writeInt(-1);
                return;
            }
            int n = s.length();
            boolean ascii = true;
            for (int i = 0; i < n && ascii; i++) ascii = s.charAt(i) < 0x80;
            if (ascii) {
                writeInt(n);
                ensure(n);
                for (int i = 0; i < n; i++) buf[size + i] = (byte) s.charAt(i);
                size += n;
            } else {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                writeInt(b.length);
                writeBytes(b);
            }
        }

        void instant(Instant t) {
            writeBoolean(t != null);
            if (t != null) {
                writeLong(t.getEpochSecond());
                writeInt(t.getNano());
            }
        }

        void writeByte(int v) {
            ensure(1);
            buf[size++] = (byte) v;
        }

        void writeBytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        void writeBoolean(boolean v) {
            writeByte(v ? 1 : 0);
        }

        void writeInt(int v) {
            ensure(4);
            buf[size] = (byte) (v >>> 24);
            buf[size + 1] = (byte) (v >>> 16);
            buf[size + 2] = (byte) (v >>> 8);
            buf[size + 3] = (byte) v;
            size += 4;
        }

        void writeLong(long v) {
            writeInt((int) (v >>> 32));
            writeInt((int) v);
        }

        byte[] bytes() {
            return size == buf.length ? buf : java.util.Arrays.copyOf(buf, size);
        }
    }

    /** Reads what {@link Out} wrote; running past the end is an IOException (a corrupt record), never an index error. */
    private static final class In {
        private final byte[] buf;
        private int pos;

        In(byte[] bytes) {
            buf = bytes;
        }

        private void need(int n) throws IOException {
            if (n < 0 || n > buf.length - pos) throw new java.io.EOFException("record ends early");
        }

        int available() {
            return buf.length - pos;
        }

        int readByte() throws IOException {
            need(1);
            return buf[pos++];
        }

        boolean readBoolean() throws IOException {
            return readByte() != 0;
        }

        int readInt() throws IOException {
            need(4);
            int v = (buf[pos] & 0xFF) << 24 | (buf[pos + 1] & 0xFF) << 16 | (buf[pos + 2] & 0xFF) << 8 | (buf[pos + 3] & 0xFF);
            pos += 4;
            return v;
        }

        long readLong() throws IOException {
            return (long) readInt() << 32 | (readInt() & 0xFFFFFFFFL);
        }

        void readFully(byte[] into) throws IOException {
            need(into.length);
            System.arraycopy(buf, pos, into, 0, into.length);
            pos += into.length;
        }

        String string() throws IOException {
            int length = readInt();
            if (length < 0) return null;
            if (length > available()) throw new IOException("string length " + length + " past the record's end");
            String s = new String(buf, pos, length, StandardCharsets.UTF_8);
            pos += length;
            return s;
        }

        Instant instant() throws IOException {
            return readBoolean() ? Instant.ofEpochSecond(readLong(), readInt()) : null;
        }
    }
}
