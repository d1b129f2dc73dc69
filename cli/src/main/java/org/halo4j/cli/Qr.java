package org.halo4j.cli;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.Map;

/** A QR code drawn in a terminal with half blocks: two rows of modules per line, dark on light, with a margin. */
final class Qr {

    private Qr() {
    }

    static String draw(String text) {
        BitMatrix m;
        try {
            m = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.L, EncodeHintType.MARGIN, 2));
        } catch (WriterException e) {
            return "(the invitation is too long for a QR code)\n";
        }
        StringBuilder sb = new StringBuilder();
        for (int y = 0; y < m.getHeight(); y += 2) {
            for (int x = 0; x < m.getWidth(); x++) {
                boolean top = m.get(x, y);
                boolean bottom = y + 1 < m.getHeight() && m.get(x, y + 1);
                // light modules are drawn, dark ones left blank: readable on a dark terminal background
                sb.append(!top && !bottom ? '█' : !top ? '▀' : !bottom ? '▄' : ' ');
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
