package org.openmmsc.mm7.codec;

import com.sun.xml.messaging.saaj.packaging.mime.internet.MimeMultipart;
import jakarta.xml.soap.AttachmentPart;
import jakarta.xml.soap.MessageFactory;
import jakarta.xml.soap.SOAPConstants;
import jakarta.xml.soap.SOAPElement;
import jakarta.xml.soap.SOAPEnvelope;
import jakarta.xml.soap.SOAPException;
import jakarta.xml.soap.SOAPHeader;
import jakarta.xml.soap.SOAPHeaderElement;
import jakarta.xml.soap.SOAPMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.XMLConstants;
import javax.xml.namespace.QName;
import javax.xml.parsers.ParserConfigurationException;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import org.openmmsc.core.model.MessagePart;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * MM7 over SOAP 1.1 with attachments: bytes → {@link Mm7Envelope} and replies → bytes. No
 * network, no globals beyond the XML factories.
 *
 * <p>Reading: Mime4j splits multipart/related ({@link MultipartSplitter}); the envelope's XML is
 * parsed by a SAX parser we harden ourselves (DOCTYPE refused outright — so no external entities
 * and no entity expansion — secure processing on, no external access), whose events SAAJ turns
 * into its envelope in one pass. The caller caps the body size before calling {@link #decode};
 * tests prove the hardening with XXE and billion-laughs payloads. Writing: answers go out through a
 * StAX writer (a tenth of the cost of SAAJ's DOM and transformer on every response); requests with
 * attachments to VASPs are built with SAAJ.
 */
public final class Mm7SoapCodec {
    /**
     * SAAJ logs every unparsable request at SEVERE through java.util.logging; we answer the VASP
     * with the reason and log it ourselves, so its logger is quieted (held here so it is not collected).
     */
    private static final java.util.logging.Logger SAAJ_LOG = java.util.logging.Logger.getLogger("com.sun.xml.messaging.saaj");

    static {
        SAAJ_LOG.setLevel(java.util.logging.Level.OFF);
    }

    private final MessageFactory factory;

    public Mm7SoapCodec() {
        try {
            this.factory = MessageFactory.newInstance(SOAPConstants.SOAP_1_1_PROTOCOL);
        } catch (SOAPException e) {
            throw new IllegalStateException("no SAAJ SOAP 1.1 implementation on the class path", e);
        }
    }

    /** Decodes an HTTP body (text/xml or multipart/related) into the envelope's request or response. */
    public Mm7Envelope decode(byte[] body, String contentType) throws Mm7Exception {
        if (contentType == null || contentType.isBlank()) {
            throw new Mm7Exception(Mm7Status.MESSAGE_FORMAT_CORRUPT, "Content-Type header missing; send text/xml or multipart/related");
        }
        String lower = contentType.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("text/xml") && !lower.startsWith("multipart/related") && !lower.startsWith("application/soap+xml")
                && !lower.startsWith("application/xml")) {
            throw new Mm7Exception(Mm7Status.MESSAGE_FORMAT_CORRUPT,
                    "Content-Type " + contentType + " is not text/xml or multipart/related (SOAP with attachments)");
        }
        // SAAJ dispatches on text/xml; application/xml bodies from lax clients are the same envelope.
        String normalized = lower.startsWith("application/xml") ? "text/xml" + contentType.substring(15) : contentType;
        try {
            // Re-quote parameters: real clients send type=text/xml unquoted, which strict MIME refuses.
            normalized = org.openmmsc.core.model.ContentType.parse(normalized).toString();
        } catch (IllegalArgumentException e) {
            throw new Mm7Exception(Mm7Status.MESSAGE_FORMAT_CORRUPT, "Content-Type '" + contentType + "' is malformed: " + e.getMessage());
        }
        List<Attachment> attachments = List.of();
        InputSource in;
        String xmlType = normalized;
        if (lower.startsWith("multipart/")) {
            // Mime4j splits the parts; the envelope is the part `start` names, else the first.
            List<Attachment> parts = MultipartSplitter.split(body, normalized);
            String start = Attachment.normalizeId(org.openmmsc.core.model.ContentType.parse(normalized).parameter("start"));
            int root = 0;
            if (start != null) {
                root = -1;
                for (int i = 0; i < parts.size() && root < 0; i++) if (start.equals(parts.get(i).contentId())) root = i;
                if (root < 0) {
                    throw new Mm7Exception(Mm7Status.MESSAGE_FORMAT_CORRUPT, "multipart/related start=\"<" + start + ">\" names no part; parts carry Content-IDs "
                            + parts.stream().map(Attachment::contentId).toList());
                }
            }
            Attachment envelopePart = parts.get(root);
            xmlType = envelopePart.contentType();
            String xmlLower = xmlType.toLowerCase(Locale.ROOT);
            if (!xmlLower.startsWith("text/xml") && !xmlLower.startsWith("application/xml") && !xmlLower.startsWith("application/soap+xml")) {
                throw new Mm7Exception(Mm7Status.MESSAGE_FORMAT_CORRUPT, "the root part of the multipart/related is " + xmlType
                        + ", expected the SOAP envelope as text/xml");
            }
            List<Attachment> others = new ArrayList<>(parts);
            others.remove(root);
            attachments = others;
            in = new InputSource(new ByteArrayInputStream(envelopePart.content()));
        } else {
            in = new InputSource(new ByteArrayInputStream(body));
        }
        try {
            // RFC 3023: the charset of a text/xml body is the one its Content-Type names.
            String charset = org.openmmsc.core.model.ContentType.parse(xmlType).parameter("charset");
            if (charset != null && !charset.isBlank()) in.setEncoding(charset.strip());
        } catch (IllegalArgumentException e) {
            throw new Mm7Exception(Mm7Status.MESSAGE_FORMAT_CORRUPT, "Content-Type '" + xmlType + "' of the envelope is malformed: " + e.getMessage());
        }
        SOAPEnvelope envelope;
        try {
            // SAAJ builds its envelope straight from our hardened SAX parser's events: one parse, no DOM copied.
            SOAPMessage soap = factory.createMessage();
            soap.getSOAPPart().setContent(new javax.xml.transform.sax.SAXSource(HARDENED_READER.get(), in));
            envelope = soap.getSOAPPart().getEnvelope();
        } catch (SOAPException | RuntimeException e) {
            throw new Mm7Exception(Mm7Status.MESSAGE_FORMAT_CORRUPT, "not a SOAP 1.1 envelope: " + reason(e));
        }
        if (!"Envelope".equals(Elements.localName(envelope)) || !Mm7Namespace.SOAP_ENV.equals(envelope.getNamespaceURI())) {
            throw new Mm7Exception(Mm7Status.MESSAGE_FORMAT_CORRUPT, "root element is {" + envelope.getNamespaceURI() + "}" + Elements.localName(envelope)
                    + ", expected a SOAP 1.1 Envelope in " + Mm7Namespace.SOAP_ENV);
        }
        try {
            return read(attachments, envelope);
        } catch (RuntimeException e) {
            throw new Mm7Exception(Mm7Status.MESSAGE_FORMAT_CORRUPT, "unreadable SOAP message: " + reason(e));
        }
    }

    /**
     * A namespace-aware SAX reader that refuses any DOCTYPE (no DTD, no external or internal
     * entities, so neither XXE nor entity expansion) and fetches nothing; one per thread (a reader
     * parses one document at a time).
     */
    private static final ThreadLocal<org.xml.sax.XMLReader> HARDENED_READER = ThreadLocal.withInitial(() -> {
        try {
            javax.xml.parsers.SAXParserFactory f = javax.xml.parsers.SAXParserFactory.newInstance();
            f.setNamespaceAware(true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setXIncludeAware(false);
            org.xml.sax.XMLReader reader = f.newSAXParser().getXMLReader();
            reader.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            reader.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            // Errors are thrown to us; the default handler would also print them to stderr.
            reader.setErrorHandler(new org.xml.sax.helpers.DefaultHandler() {
                @Override
                public void error(org.xml.sax.SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            return reader;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("JAXP cannot build a hardened SAX parser", e);
        }
    });

    private Mm7Envelope read(List<Attachment> attachments, Element envelope) throws Mm7Exception {
        Element body = Elements.child(envelope, "Body");
        if (body == null) throw new Mm7Exception(Mm7Status.MESSAGE_FORMAT_CORRUPT, "SOAP envelope without Body");
        Element operation = null;
        for (Node n = body.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                operation = e;
                break;
            }
        }
        if (operation == null) throw new Mm7Exception(Mm7Status.MESSAGE_FORMAT_CORRUPT, "SOAP Body is empty; it must hold one MM7 request");
        String namespace;
        Element payload = operation;
        if ("Fault".equals(Elements.localName(operation))) {
            // A fault's MM7 content (RSErrorRsp / VASPErrorRsp) sits in detail, prefixed or not.
            Element detail = Elements.child(operation, "detail");
            if (detail == null) detail = Elements.child(operation, "Detail");
            Element inner = detail == null || Elements.children(detail).isEmpty() ? null : Elements.children(detail).getFirst();
            if (inner != null) payload = inner;
        }
        namespace = payload.getNamespaceURI();
        String transactionId = null;
        Element header = Elements.child(envelope, "Header");
        if (header != null) {
            Element tid = Elements.child(header, "TransactionID");
            if (tid != null) {
                transactionId = tid.getTextContent().strip();
                if (namespace == null || !Mm7Namespace.isMm7(namespace)) namespace = tid.getNamespaceURI();
            }
        }
        if (!Mm7Namespace.isMm7(namespace)) {
            throw new Mm7Exception(Mm7Status.UNSUPPORTED_VERSION, "element " + Elements.localName(payload) + " is in namespace '" + namespace
                    + "', expected " + Mm7Namespace.PREFIX + "REL-n-MM7-x-y (e.g. REL-6-MM7-1-4)");
        }
        String version = Elements.text(payload, "MM7Version");
        return new Mm7Envelope(namespace, version, transactionId, Elements.localName(payload), payload, attachments);
    }

    /** Splits a multipart attachment (multipart/related or /mixed holding SMIL and media) into its parts, bodies decoded. */
    public static List<Attachment> splitMultipart(Attachment content) throws Mm7Exception {
        try {
            return MultipartSplitter.split(content.content(), content.contentType());
        } catch (Mm7Exception e) {
            throw new Mm7Exception(Mm7Status.MESSAGE_FORMAT_CORRUPT, "content part " + content.contentType() + " is not a readable multipart: " + e.detail());
        }
    }

    /**
     * A response we send: the operation element in {@code namespace} with its children in order.
     * Written with a StAX writer (escaping and well-formedness by the JDK), which costs a fraction of
     * SAAJ's DOM-and-transformer path on every answer.
     */
    public byte[] encode(String namespace, String transactionId, String operation, List<Field> fields) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(512);
            XMLStreamWriter w = open(out, namespace, transactionId);
            w.writeStartElement("mm7", operation, namespace);
            for (Field f : fields) f.write(w, namespace);
            w.writeEndElement();
            return close(w, out);
        } catch (XMLStreamException e) {
            throw new IllegalStateException("could not build MM7 " + operation, e);
        }
    }

    /** A request body and its HTTP Content-Type. */
    public record Encoded(byte[] body, String contentType) {}

    /**
     * A request we send (DeliverReq, DeliveryReportReq, ReadReplyReq): text/xml alone, or with
     * {@code content} as a second part of multipart/related, named by Content-ID {@code contentId}.
     */
    public Encoded encodeRequest(String namespace, String transactionId, String operation, List<Field> fields,
                                 String contentId, String contentType, byte[] content) {
        try {
            SOAPMessage message = factory.createMessage();
            SOAPEnvelope envelope = envelope(message, namespace, transactionId);
            SOAPElement op = envelope.getBody().addChildElement(new QName(namespace, operation, "mm7"));
            for (Field f : fields) f.writeTo(op, namespace);
            if (content != null) {
                AttachmentPart part = message.createAttachmentPart();
                part.setRawContentBytes(content, 0, content.length, contentType);
                part.setContentId("<" + contentId + ">");
                message.addAttachmentPart(part);
            }
            byte[] body = bytes(message);
            String[] type = message.getMimeHeaders().getHeader("Content-Type");
            return new Encoded(body, type == null ? "text/xml; charset=utf-8" : type[0]);
        } catch (SOAPException | IOException e) {
            throw new IllegalStateException("could not build MM7 " + operation, e);
        }
    }

    /** Frames parts as one multipart body (binary parts, no transfer encoding: HTTP is 8-bit clean); returns the body and its Content-Type. */
    public static Encoded multipart(String subtype, java.util.Map<String, String> typeParameters, List<Attachment> parts) {
        try {
            MimeMultipart multipart = new MimeMultipart(subtype);
            for (Attachment a : parts) {
                com.sun.xml.messaging.saaj.packaging.mime.internet.InternetHeaders hs = new com.sun.xml.messaging.saaj.packaging.mime.internet.InternetHeaders();
                hs.setHeader("Content-Type", a.contentType());
                for (MessagePart.Header h : a.headers()) hs.addHeader(h.name(), h.value());
                multipart.addBodyPart(new com.sun.xml.messaging.saaj.packaging.mime.internet.MimeBodyPart(hs, a.content(), a.content().length));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            multipart.writeTo(out);
            StringBuilder type = new StringBuilder(multipart.getContentType().toString());
            typeParameters.forEach((k, v) -> {
                if (!k.equalsIgnoreCase("boundary")) type.append("; ").append(k).append("=\"").append(v.replace("\"", "")).append('"');
            });
            return new Encoded(out.toByteArray(), type.toString());
        } catch (Exception e) {
            throw new IllegalStateException("could not frame " + parts.size() + " parts as multipart/" + subtype, e);
        }
    }

    /** A SOAP Fault carrying RSErrorRsp (or VASPErrorRsp) in detail, as instantcom and Nokia MMSCs send it. */
    public byte[] encodeFault(String namespace, String version, String transactionId, String errorElement, Mm7Status status, String statusText) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(768);
            XMLStreamWriter w = open(out, namespace, transactionId);
            w.writeStartElement("env", "Fault", Mm7Namespace.SOAP_ENV);
            // SOAP 1.1: faultcode, faultstring and detail are unqualified.
            w.writeStartElement("faultcode");
            w.writeCharacters(status.isServerFault() ? "env:Server" : "env:Client");
            w.writeEndElement();
            w.writeStartElement("faultstring");
            w.writeCharacters(status.isServerFault() ? "Server error" : "Client error");
            w.writeEndElement();
            w.writeStartElement("detail");
            w.writeStartElement("mm7", errorElement, namespace);
            Field.text("MM7Version", version).write(w, namespace);
            Field.status(status.code(), statusText).write(w, namespace);
            w.writeEndElement();
            w.writeEndElement();
            w.writeEndElement();
            return close(w, out);
        } catch (XMLStreamException e) {
            throw new IllegalStateException("could not build MM7 fault", e);
        }
    }

    private static final XMLOutputFactory XML_OUT = XMLOutputFactory.newFactory();

    /** Writes the envelope up to an open Body. */
    private static XMLStreamWriter open(ByteArrayOutputStream out, String namespace, String transactionId) throws XMLStreamException {
        XMLStreamWriter w = XML_OUT.createXMLStreamWriter(out, "UTF-8");
        w.writeStartDocument("utf-8", "1.0");
        w.writeStartElement("env", "Envelope", Mm7Namespace.SOAP_ENV);
        w.writeNamespace("env", Mm7Namespace.SOAP_ENV);
        w.writeNamespace("mm7", namespace);
        if (transactionId != null) {
            w.writeStartElement("env", "Header", Mm7Namespace.SOAP_ENV);
            w.writeStartElement("mm7", "TransactionID", namespace);
            w.writeAttribute("env", Mm7Namespace.SOAP_ENV, "mustUnderstand", "1");
            w.writeCharacters(transactionId);
            w.writeEndElement();
            w.writeEndElement();
        }
        w.writeStartElement("env", "Body", Mm7Namespace.SOAP_ENV);
        return w;
    }

    private static byte[] close(XMLStreamWriter w, ByteArrayOutputStream out) throws XMLStreamException {
        w.writeEndElement();
        w.writeEndElement();
        w.writeEndDocument();
        w.close();
        return out.toByteArray();
    }

    private static SOAPEnvelope envelope(SOAPMessage message, String namespace, String transactionId) throws SOAPException {
        SOAPEnvelope envelope = message.getSOAPPart().getEnvelope();
        envelope.setPrefix("env");
        envelope.removeNamespaceDeclaration("SOAP-ENV");
        envelope.getBody().setPrefix("env");
        SOAPHeader header = envelope.getHeader();
        header.setPrefix("env");
        if (transactionId != null) {
            SOAPHeaderElement tid = header.addHeaderElement(new QName(namespace, "TransactionID", "mm7"));
            tid.setMustUnderstand(true);
            tid.addTextNode(transactionId);
        }
        return envelope;
    }

    private static byte[] bytes(SOAPMessage message) throws SOAPException, IOException {
        message.setProperty(SOAPMessage.WRITE_XML_DECLARATION, "true");
        message.setProperty(SOAPMessage.CHARACTER_SET_ENCODING, "utf-8");
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        message.writeTo(out);
        return out.toByteArray();
    }

    /** The first line of a parser's complaint, without class names: it goes to a VASP. */
    static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        m = m.replaceAll("[\\r\\n]+", " ").strip();
        return m.length() > 300 ? m.substring(0, 300) + "…" : m;
    }

    /** One child element of an MM7 operation we write: text, or nested fields. */
    public sealed interface Field {
        void writeTo(SOAPElement parent, String namespace) throws SOAPException;

        void write(XMLStreamWriter w, String namespace) throws XMLStreamException;

        record Text(String name, String value, List<String[]> attributes) implements Field {
            @Override
            public void writeTo(SOAPElement parent, String namespace) throws SOAPException {
                if (value == null) return;
                SOAPElement e = parent.addChildElement(new QName(namespace, name, "mm7"));
                for (String[] a : attributes) e.setAttribute(a[0], a[1]);
                if (!value.isEmpty()) e.addTextNode(value);
            }

            @Override
            public void write(XMLStreamWriter w, String namespace) throws XMLStreamException {
                if (value == null) return;
                w.writeStartElement("mm7", name, namespace);
                for (String[] a : attributes) w.writeAttribute(a[0], a[1]);
                w.writeCharacters(value);
                w.writeEndElement();
            }
        }

        record Group(String name, List<Field> children) implements Field {
            @Override
            public void writeTo(SOAPElement parent, String namespace) throws SOAPException {
                SOAPElement e = parent.addChildElement(new QName(namespace, name, "mm7"));
                for (Field f : children) f.writeTo(e, namespace);
            }

            @Override
            public void write(XMLStreamWriter w, String namespace) throws XMLStreamException {
                w.writeStartElement("mm7", name, namespace);
                for (Field f : children) f.write(w, namespace);
                w.writeEndElement();
            }
        }

        static Field text(String name, String value) {
            return new Text(name, value, List.of());
        }

        static Field status(int code, String text) {
            return new Group("Status", List.of(text("StatusCode", Integer.toString(code)), text("StatusText", text)));
        }
    }
}
