package org.halo4j.testing;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.HexFormat;
import java.util.Map;
import org.halo4j.proto.v1.CredentialBody;
import org.halo4j.proto.v1.PresentationBody;

/**
 * An annotated hex dump of protobuf bytes, for documentation: every field with its offset, its tag and
 * length bytes, its name, and its value; signed {@code bytes} fields that hold messages are opened.
 */
public final class WireDump {

    /** {@code bytes} fields whose content is a serialized message of the given type. */
    private static final Map<String, Descriptor> NESTED = Map.of(
            "halo.v1.Credential.body", CredentialBody.getDescriptor(),
            "halo.v1.Presentation.body", PresentationBody.getDescriptor());

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    private final StringBuilder out = new StringBuilder();

    private WireDump() {
    }

    public static String dump(Descriptor type, ByteString bytes) throws IOException {
        WireDump d = new WireDump();
        d.message(type, bytes, 0, 0, null);
        return d.out.toString();
    }

    private void message(Descriptor type, ByteString bytes, int base, int indent, String anyType) throws IOException {
        CodedInputStream in = bytes.newCodedInput();
        while (!in.isAtEnd()) {
            int start = in.getTotalBytesRead();
            int tag = in.readTag();
            int number = WireFormat.getTagFieldNumber(tag);
            FieldDescriptor f = type.findFieldByNumber(number);
            String name = f == null ? "unknown field " + number : type.getName() + "." + f.getName();
            if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
                int len = in.readRawVarint32();
                int headerEnd = in.getTotalBytesRead();
                ByteString value = bytes.substring(headerEnd, headerEnd + len);
                in.skipRawBytes(len);
                line(base + start, bytes.substring(start, headerEnd), indent, name + " (field " + number + ", " + len + " bytes)");
                Descriptor nested = f == null ? null : nestedType(f, anyType);
                if (nested != null) {
                    message(nested, value, base + headerEnd, indent + 1, null);
                } else if (f != null && f.getType() == FieldDescriptor.Type.STRING) {
                    line(base + headerEnd, value, indent + 1, "\"" + value.toStringUtf8() + "\"");
                } else {
                    line(base + headerEnd, value, indent + 1, "");
                }
                if (f != null && type.getFullName().equals("google.protobuf.Any") && number == 1) {
                    anyType = value.toStringUtf8();
                }
            } else {
                long v = in.readRawVarint64();
                int end = in.getTotalBytesRead();
                String shown = f != null && f.getType() == FieldDescriptor.Type.ENUM
                        ? f.getEnumType().findValueByNumber((int) v).getName() + " (" + v + ")" : Long.toString(v);
                line(base + start, bytes.substring(start, end), indent, name + " = " + shown);
            }
        }
    }

    private static Descriptor nestedType(FieldDescriptor f, String anyType) {
        if (f.getType() == FieldDescriptor.Type.MESSAGE) {
            return f.getMessageType();
        }
        Descriptor known = NESTED.get(f.getFullName());
        if (known != null) {
            return known;
        }
        if (f.getFullName().equals("google.protobuf.Any.value") && anyType != null) {
            String name = anyType.substring(anyType.lastIndexOf('/') + 1);
            return org.halo4j.proto.v1.AssertionsProto.getDescriptor().findMessageTypeByName(name.substring("halo.v1.".length()));
        }
        return null;
    }

    private void line(int offset, ByteString bytes, int indent, String note) {
        byte[] b = bytes.toByteArray();
        String pad = "  ".repeat(indent);
        for (int i = 0; i < Math.max(1, b.length); i += 16) {
            String hex = b.length == 0 ? "" : HEX.formatHex(b, i, Math.min(b.length, i + 16));
            String text = i == 0 ? pad + note : "";
            out.append(String.format("%04x  %-47s  %s", offset + i, hex, text).stripTrailing()).append('\n');
        }
    }
}
