#!/usr/bin/env python3
"""Writes the raw MM7 request bodies Mm7CurlTest sends with curl: one SubmitReq per schema release,
with a default namespace and with an mm7: prefix, as text/xml alone and as multipart/related with
a SMIL + text + GIF content part. Run once; the bodies are committed as they are (CRLF in MIME)."""
import base64

RELEASES = {
    "REL-5-MM7-1-0": "5.3.0", "REL-5-MM7-1-1": "5.3.0", "REL-5-MM7-1-2": "5.3.0", "REL-5-MM7-1-3": "5.5.0",
    "REL-5-MM7-1-4": "5.6.0", "REL-5-MM7-1-5": "5.10.0",
    "REL-6-MM7-1-0": "6.3.0", "REL-6-MM7-1-1": "6.4.0", "REL-6-MM7-1-2": "6.5.0", "REL-6-MM7-1-3": "6.6.0",
    "REL-6-MM7-1-4": "6.8.0",
}
BOUNDARY = "=_mm7-outer-7f3a"
INNER = "=_mm7-inner-19c2"
GIF = base64.b64encode(bytes.fromhex("47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b")).decode()

def envelope(release, version, prefixed, attach):
    ns = "http://www.3gpp.org/ftp/Specs/archive/23_series/23.140/schema/" + release
    p = "mm7:" if prefixed else ""
    decl = ' xmlns:mm7="%s"' % ns if prefixed else ' xmlns="%s"' % ns
    tid = "%s-%s-%s" % (release, "prefix" if prefixed else "default", "attach" if attach else "plain")
    def e(name, body, attrs=""):
        return "<%s%s%s>%s</%s%s>" % (p, name, attrs, body, p, name)
    content = '<%sContent href="cid:content@vasp" allowAdaptations="true"/>' % p if attach else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<env:Envelope xmlns:env="http://schemas.xmlsoap.org/soap/envelope/">\n'
            ' <env:Header>\n'
            '  <mm7:TransactionID xmlns:mm7="%s" env:mustUnderstand="1">%s</mm7:TransactionID>\n'
            ' </env:Header>\n'
            ' <env:Body>\n'
            '  <%sSubmitReq%s>\n'
            '   %s\n'
            '   %s\n'
            '   %s\n'
            '   %s%s%s%s\n'
            '   %s\n'
            '  </%sSubmitReq>\n'
            ' </env:Body>\n'
            '</env:Envelope>\n') % (
        ns, tid, p, decl,
        e("MM7Version", version),
        e("SenderIdentification", e("VASPID", "news") + e("VASID", "weather") + e("SenderAddress", e("ShortCode", "2020"))),
        e("Recipients", e("To", e("Number", "90000001")) + e("Cc", e("Number", "+4790000002"))),
        e("ServiceCode", "svc-weather"), e("MessageClass", "Informational"), e("ExpiryDate", "P2D"), e("DeliveryReport", "true"),
        e("Subject", "Weather for " + release) + content, p), tid

def multipart(xml):
    crlf = "\r\n"
    smil = '<smil><body><par><img src="cid:gif"/><text src="cid:text"/></par></body></smil>'
    inner = crlf.join([
        "--" + INNER, "Content-Type: application/smil", "Content-ID: <smil>", "", smil,
        "--" + INNER, "Content-Type: text/plain; charset=utf-8", "Content-ID: <text>", "Content-Location: forecast.txt", "", "Sunny, 21 C",
        "--" + INNER, "Content-Type: image/gif", "Content-Transfer-Encoding: base64", "Content-ID: <gif>", "", GIF,
        "--" + INNER + "--", ""])
    return crlf.join([
        "--" + BOUNDARY, "Content-Type: text/xml; charset=utf-8", "Content-ID: <envelope@vasp>", "", xml.replace("\n", crlf),
        "--" + BOUNDARY, 'Content-Type: multipart/related; boundary="%s"; type="application/smil"; start="<smil>"' % INNER,
        "Content-ID: <content@vasp>", "", inner,
        "--" + BOUNDARY + "--", ""])

for release, version in RELEASES.items():
    for prefixed in (False, True):
        for attach in (False, True):
            xml, tid = envelope(release, version, prefixed, attach)
            if attach:
                open(tid + ".mime", "w", newline="").write(multipart(xml))
            else:
                open(tid + ".xml", "w", newline="").write(xml)
