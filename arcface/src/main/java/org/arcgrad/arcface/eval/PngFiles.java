package org.arcgrad.arcface.eval;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.arcgrad.opencl.files.AtomicFiles;

/**
 * PNG files written atomically: the image is encoded in memory first, so an encoding failure
 * leaves no file behind, then {@link AtomicFiles} replaces the target (a viewer refreshing the
 * plot during training never sees half a PNG).
 */
public final class PngFiles {
    private PngFiles() {
    }

    public static void write(Path file, BufferedImage image) throws IOException {
        AtomicFiles.write(file, content(image));
    }

    /** The file content, to write with other files through {@link AtomicFiles#writeAll}. */
    public static AtomicFiles.Content content(BufferedImage image) throws IOException {
        byte[] bytes = encode(image);
        return channel -> {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        };
    }

    static byte[] encode(BufferedImage image) throws IOException {
        Headless.ensure();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG encoder for an image of type " + image.getType());
        }
        return out.toByteArray();
    }
}
