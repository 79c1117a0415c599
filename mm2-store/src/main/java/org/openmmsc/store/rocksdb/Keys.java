package org.openmmsc.store.rocksdb;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.openmmsc.core.model.DeliveryKey;
import org.openmmsc.core.model.MessageId;

/**
 * Key layouts. Every key sorts bytewise the way the store iterates it: message ids are ASCII
 * Crockford base32 (time order), indexes and times are big-endian with the sign bit flipped.
 */
final class Keys {
    static final int ID_LENGTH = 26;
    /** An instant as 12 sortable bytes: seconds (sign-flipped) then nanos. */
    static final int TIME_LENGTH = 12;
    static final byte EXPIRY_MESSAGE = 'M';
    static final byte EXPIRY_IDEMPOTENCY = 'K';

    static final byte[] META_MESSAGE_COUNT = ascii("count.messages");
    static final byte[] META_PENDING_DELIVERIES = ascii("count.pendingDeliveries");
    /** Active blob file number and its committed length (the high-water mark). */
    static final byte[] META_BLOB_ACTIVE = ascii("blob.active");
    static final byte[] META_BLOB_REFS_PREFIX = ascii("blob.refs.");

    private Keys() {}

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] message(MessageId id) {
        return ascii(id.value());
    }

    static MessageId messageId(byte[] key, int offset) {
        return new MessageId(new String(key, offset, ID_LENGTH, StandardCharsets.US_ASCII));
    }

    static byte[] delivery(DeliveryKey key) {
        return ByteBuffer.allocate(ID_LENGTH + 4).put(message(key.messageId())).putInt(key.recipientIndex()).array();
    }

    static byte[] delivery(MessageId id, int index) {
        return ByteBuffer.allocate(ID_LENGTH + 4).put(message(id)).putInt(index).array();
    }

    /** Due index: when the delivery can next be leased, then its key. */
    static byte[] due(Instant at, MessageId id, int index) {
        ByteBuffer b = ByteBuffer.allocate(TIME_LENGTH + ID_LENGTH + 4);
        putTime(b, at);
        return b.put(message(id)).putInt(index).array();
    }

    static Instant dueTime(byte[] key) {
        return time(key, 0);
    }

    static DeliveryKey dueDelivery(byte[] key) {
        return new DeliveryKey(messageId(key, TIME_LENGTH), ByteBuffer.wrap(key, TIME_LENGTH + ID_LENGTH, 4).getInt());
    }

    /** The first due key strictly after {@code at}: the exclusive upper bound of "due by at". */
    static byte[] dueUpperBound(Instant at) {
        Instant next = at.plusNanos(1);
        ByteBuffer b = ByteBuffer.allocate(TIME_LENGTH);
        putTime(b, next);
        return b.array();
    }

    static byte[] expiryOfMessage(Instant at, MessageId id) {
        ByteBuffer b = ByteBuffer.allocate(1 + TIME_LENGTH + ID_LENGTH).put(EXPIRY_MESSAGE);
        putTime(b, at);
        return b.put(message(id)).array();
    }

    static byte[] expiryOfKey(Instant at, byte[] idempotencyKey) {
        ByteBuffer b = ByteBuffer.allocate(1 + TIME_LENGTH + idempotencyKey.length).put(EXPIRY_IDEMPOTENCY);
        putTime(b, at);
        return b.put(idempotencyKey).array();
    }

    /** Upper bound (exclusive) of the expiry entries of one kind that lie at or before {@code at}. */
    static byte[] expiryUpperBound(byte kind, Instant at) {
        ByteBuffer b = ByteBuffer.allocate(1 + TIME_LENGTH).put(kind);
        putTime(b, at.plusNanos(1));
        return b.array();
    }

    static byte[] blobRefs(long fileNo) {
        return ByteBuffer.allocate(META_BLOB_REFS_PREFIX.length + 8).put(META_BLOB_REFS_PREFIX).putLong(fileNo).array();
    }

    static byte[] longValue(long v) {
        return ByteBuffer.allocate(8).putLong(v).array();
    }

    static long longValue(byte[] v) {
        return v == null ? 0 : ByteBuffer.wrap(v).getLong();
    }

    static Instant time(byte[] key, int offset) {
        ByteBuffer b = ByteBuffer.wrap(key, offset, TIME_LENGTH);
        return Instant.ofEpochSecond(b.getLong() ^ Long.MIN_VALUE, b.getInt());
    }

    private static void putTime(ByteBuffer b, Instant at) {
        b.putLong(at.getEpochSecond() ^ Long.MIN_VALUE).putInt(at.getNano());
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        if (key.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (key[i] != prefix[i]) return false;
        return true;
    }
}
