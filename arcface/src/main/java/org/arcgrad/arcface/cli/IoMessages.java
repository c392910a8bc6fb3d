package org.arcgrad.arcface.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * A file error as a sentence. Java's file-system exceptions often carry only the path as their
 * message ("runs/train/weights"), which says nothing of what went wrong; this adds the what.
 */
final class IoMessages {
    private IoMessages() {
    }

    static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() == null && f.getFile() != null) {
            String what;
            if (e instanceof NoSuchFileException) {
                what = "no such file or folder";
            } else if (e instanceof AccessDeniedException) {
                what = "permission denied";
            } else if (e instanceof FileAlreadyExistsException) {
                what = "exists, and is not what should be there (a file where a folder goes, or the reverse)";
            } else if (e instanceof NotDirectoryException) {
                what = "is not a folder";
            } else if (e instanceof DirectoryNotEmptyException) {
                what = "is a folder that is not empty";
            } else {
                what = e.getClass().getSimpleName();
            }
            return f.getFile() + (f.getOtherFile() == null ? "" : " → " + f.getOtherFile()) + ": " + what;
        }
        return String.valueOf(e.getMessage());
    }
}
