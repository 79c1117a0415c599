package org.openmmsc.mm1.codec;

/**
 * Bounds that keep hostile input from costing more than a legitimate PDU would.
 *
 * @param maxPduSize      largest PDU accepted, in octets
 * @param maxParts        most multipart entries across the whole PDU (nested ones included)
 * @param maxHeaders      most header fields in one header block (PDU, part or push)
 * @param maxNestingDepth deepest multipart-inside-a-part nesting (1 = no nested multipart)
 * @param maxStringLength longest single text value, in octets
 */
public record DecodeLimits(int maxPduSize, int maxParts, int maxHeaders, int maxNestingDepth, int maxStringLength) {

    /** Generous for MM1: OMA CONF 1.3 content classes top out at 600 KB messages; operators allow a few MB. */
    public static final DecodeLimits DEFAULTS = new DecodeLimits(8 * 1024 * 1024, 256, 512, 4, 64 * 1024);

    public DecodeLimits {
        if (maxPduSize < 1 || maxParts < 0 || maxHeaders < 1 || maxNestingDepth < 1 || maxStringLength < 1) {
            throw new IllegalArgumentException("limits must be positive: " + this);
        }
    }
}
