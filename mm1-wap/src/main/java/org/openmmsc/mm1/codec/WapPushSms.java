package org.openmmsc.mm1.codec;

import org.openmmsc.mm1.codec.DecodeException.Reason;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * WDP over GSM SMS for WAP Push (wap-push.md §2): cuts a WSP push PDU into 8-bit SMS user data with a
 * UDH carrying 16-bit application ports (destination 2948, source 9200) and, when it does not fit
 * one SMS, concatenation; and the reverse. Each segment is ready as the short_message of an SMPP
 * submit_sm with esm_class {@link #ESM_CLASS_UDHI} and data_coding {@link #DATA_CODING_8BIT}.
 */
public final class WapPushSms {
    public static final int WAP_PUSH_PORT = 2948;
    public static final int WAP_SOURCE_PORT = 9200;
    public static final int MAX_USER_DATA = 140;
    public static final int ESM_CLASS_UDHI = 0x40;
    public static final int DATA_CODING_8BIT = 0x04;

    private static final int IE_CONCAT_8 = 0x00;
    private static final int IE_CONCAT_16 = 0x08;
    private static final int IE_PORTS_8 = 0x04;
    private static final int IE_PORTS_16 = 0x05;

    private WapPushSms() {
    }

    /**
     * Segments a push PDU. One SMS when it fits 133 octets; otherwise parts of 128 octets (8-bit
     * reference) or 127 (16-bit reference) with a concatenation element. At most 255 parts.
     *
     * @param reference concatenation reference, 0..255 or 0..65535 with {@code sixteenBitReference}
     */
    public static List<byte[]> segment(byte[] wspPush, int reference, boolean sixteenBitReference) {
        byte[] ports = {IE_PORTS_16, 4, (byte) (WAP_PUSH_PORT >> 8), (byte) WAP_PUSH_PORT,
            (byte) (WAP_SOURCE_PORT >> 8), (byte) WAP_SOURCE_PORT};
        if (wspPush.length <= MAX_USER_DATA - 1 - ports.length) {
            byte[] sms = new byte[1 + ports.length + wspPush.length];
            sms[0] = (byte) ports.length;
            System.arraycopy(ports, 0, sms, 1, ports.length);
            System.arraycopy(wspPush, 0, sms, 1 + ports.length, wspPush.length);
            return List.of(sms);
        }
        if (reference < 0 || reference > (sixteenBitReference ? 0xFFFF : 0xFF)) {
            throw new IllegalArgumentException("concatenation reference out of range: " + reference);
        }
        int concatLength = sixteenBitReference ? 6 : 5;
        int udhLength = ports.length + concatLength;
        int perPart = MAX_USER_DATA - 1 - udhLength;
        int total = (wspPush.length + perPart - 1) / perPart;
        if (total > 255) {
            throw new IllegalArgumentException("push of " + wspPush.length + " octets needs more than 255 SMS");
        }
        List<byte[]> segments = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            int from = i * perPart;
            int length = Math.min(perPart, wspPush.length - from);
            byte[] sms = new byte[1 + udhLength + length];
            int p = 0;
            sms[p++] = (byte) udhLength;
            System.arraycopy(ports, 0, sms, p, ports.length);
            p += ports.length;
            if (sixteenBitReference) {
                sms[p++] = IE_CONCAT_16;
                sms[p++] = 4;
                sms[p++] = (byte) (reference >> 8);
                sms[p++] = (byte) reference;
            } else {
                sms[p++] = IE_CONCAT_8;
                sms[p++] = 3;
                sms[p++] = (byte) reference;
            }
            sms[p++] = (byte) total;
            sms[p++] = (byte) (i + 1);
            System.arraycopy(wspPush, from, sms, p, length);
            segments.add(sms);
        }
        return segments;
    }

    /** What a segment's UDH says. Ports are -1 when absent; reference/total/sequence are -1 when not concatenated. */
    public record Segment(int destinationPort, int sourcePort, int reference, int total, int sequence,
                          byte[] payload) {
    }

    /** Parses the UDH of one SMS user data (UDHI set). */
    public static Segment parse(byte[] userData) throws DecodeException {
        if (userData.length < 1) {
            throw new DecodeException(Reason.TRUNCATED, 0, "empty user data");
        }
        int udhLength = userData[0] & 0xFF;
        if (1 + udhLength > userData.length) {
            throw new DecodeException(Reason.TRUNCATED, 0, "UDH length " + udhLength + " exceeds the user data");
        }
        int destination = -1;
        int source = -1;
        int reference = -1;
        int total = -1;
        int sequence = -1;
        int p = 1;
        int end = 1 + udhLength;
        while (p < end) {
            if (p + 2 > end) {
                throw new DecodeException(Reason.TRUNCATED, p, "information element header");
            }
            int iei = userData[p] & 0xFF;
            int length = userData[p + 1] & 0xFF;
            int value = p + 2;
            if (value + length > end) {
                throw new DecodeException(Reason.TRUNCATED, p, "information element 0x" + Integer.toHexString(iei));
            }
            switch (iei) {
                case IE_PORTS_16 -> {
                    requireLength(iei, length, 4, p);
                    destination = u16(userData, value);
                    source = u16(userData, value + 2);
                }
                case IE_PORTS_8 -> {
                    requireLength(iei, length, 2, p);
                    destination = userData[value] & 0xFF;
                    source = userData[value + 1] & 0xFF;
                }
                case IE_CONCAT_8 -> {
                    requireLength(iei, length, 3, p);
                    reference = userData[value] & 0xFF;
                    total = userData[value + 1] & 0xFF;
                    sequence = userData[value + 2] & 0xFF;
                }
                case IE_CONCAT_16 -> {
                    requireLength(iei, length, 4, p);
                    reference = u16(userData, value);
                    total = userData[value + 2] & 0xFF;
                    sequence = userData[value + 3] & 0xFF;
                }
                default -> {
                    // Other elements (e.g. SMSC control) do not matter for reassembly.
                }
            }
            p = value + length;
        }
        if (total == 0 || sequence == 0 || (total > 0 && sequence > total)) {
            throw new DecodeException(Reason.BAD_SMS_SEGMENTS, 1, "segment " + sequence + " of " + total);
        }
        return new Segment(destination, source, reference, total, sequence,
                Arrays.copyOfRange(userData, end, userData.length));
    }

    /** Reassembles the WSP push PDU from the user data of all its SMS (any order). */
    public static byte[] reassemble(List<byte[]> userDatas) throws DecodeException {
        if (userDatas.isEmpty() || userDatas.size() > 255) {
            throw new DecodeException(Reason.BAD_SMS_SEGMENTS, 0, userDatas.size() + " segments");
        }
        Segment[] ordered = null;
        Segment first = null;
        for (byte[] userData : userDatas) {
            Segment segment = parse(userData);
            if (first == null) {
                first = segment;
                if (segment.total() < 0) {
                    if (userDatas.size() != 1) {
                        throw new DecodeException(Reason.BAD_SMS_SEGMENTS, 0, "unconcatenated segment among several");
                    }
                    return segment.payload();
                }
                if (segment.total() != userDatas.size()) {
                    throw new DecodeException(Reason.BAD_SMS_SEGMENTS, 0,
                            "expected " + segment.total() + " segments, got " + userDatas.size());
                }
                ordered = new Segment[segment.total()];
            }
            if (segment.reference() != first.reference() || segment.total() != first.total()
                    || segment.destinationPort() != first.destinationPort()) {
                throw new DecodeException(Reason.BAD_SMS_SEGMENTS, 0, "segments of different messages");
            }
            if (ordered[segment.sequence() - 1] != null) {
                throw new DecodeException(Reason.BAD_SMS_SEGMENTS, 0, "duplicate segment " + segment.sequence());
            }
            ordered[segment.sequence() - 1] = segment;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Segment segment : ordered) {
            out.writeBytes(segment.payload());
        }
        return out.toByteArray();
    }

    /**
     * The user data of a GSM SMS-DELIVER TPDU (3GPP TS 23.040 §9.2.2.1) carrying 8-bit data, as
     * captured from a handset or a test tool; {@code withSmscAddress} when the TPDU is preceded by
     * the SMSC address as in AT+CMGR output.
     */
    public static byte[] deliverUserData(byte[] tpdu, boolean withSmscAddress) throws DecodeException {
        int p = 0;
        if (withSmscAddress) {
            p = 1 + octet(tpdu, 0);
        }
        int firstOctet = octet(tpdu, p++);
        if ((firstOctet & 0x03) != 0) {
            throw new DecodeException(Reason.BAD_SMS_SEGMENTS, p - 1, "not an SMS-DELIVER");
        }
        int originatorDigits = octet(tpdu, p++);
        p += 1 + (originatorDigits + 1) / 2;
        p += 1; // TP-PID
        int dcs = octet(tpdu, p++);
        p += 7; // TP-SCTS
        int userDataLength = octet(tpdu, p++);
        if ((dcs & 0x0C) != 0x04) {
            throw new DecodeException(Reason.BAD_SMS_SEGMENTS, p, String.format("DCS 0x%02X is not 8-bit data", dcs));
        }
        if (p + userDataLength > tpdu.length) {
            throw new DecodeException(Reason.TRUNCATED, p, "user data length " + userDataLength);
        }
        return Arrays.copyOfRange(tpdu, p, p + userDataLength);
    }

    private static int octet(byte[] bytes, int index) throws DecodeException {
        if (index < 0 || index >= bytes.length) {
            throw new DecodeException(Reason.TRUNCATED, index, "TPDU ends early");
        }
        return bytes[index] & 0xFF;
    }

    private static void requireLength(int iei, int length, int expected, int offset) throws DecodeException {
        if (length != expected) {
            throw new DecodeException(Reason.BAD_SMS_SEGMENTS, offset,
                    "information element 0x" + Integer.toHexString(iei) + " of length " + length);
        }
    }

    private static int u16(byte[] bytes, int index) {
        return ((bytes[index] & 0xFF) << 8) | (bytes[index + 1] & 0xFF);
    }
}
