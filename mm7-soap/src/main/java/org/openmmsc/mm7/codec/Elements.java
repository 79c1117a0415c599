package org.openmmsc.mm7.codec;

import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Attr;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Reads MM7 elements by local name, whatever namespace or prefix the peer used: VASPs mix
 * default namespaces, prefixes and even unqualified children.
 */
public final class Elements {
    private Elements() {}

    public static String localName(Node n) {
        String local = n.getLocalName();
        if (local != null) return local;
        String name = n.getNodeName();
        int colon = name.indexOf(':');
        return colon < 0 ? name : name.substring(colon + 1);
    }

    public static List<Element> children(Element parent) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) out.add(e);
        }
        return out;
    }

    public static Element child(Element parent, String localName) {
        if (parent == null) return null;
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(localName(e))) return e;
        }
        return null;
    }

    /** The trimmed text of a child, or null when absent. */
    public static String text(Element parent, String localName) {
        Element e = child(parent, localName);
        return e == null ? null : e.getTextContent().strip();
    }

    /** An attribute by local name, with or without a namespace prefix (some MMSCs write mm7:href). */
    public static String attribute(Element e, String localName) {
        NamedNodeMap attrs = e.getAttributes();
        for (int i = 0; i < attrs.getLength(); i++) {
            Attr a = (Attr) attrs.item(i);
            if (localName.equals(localName(a))) return a.getValue();
        }
        return null;
    }
}
