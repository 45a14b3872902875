package io.kontroler.cli.client;

import java.awt.Desktop;
import java.net.URI;

/**
 * Opens an address in the user's browser where one can be started (the desktop's, {@code xdg-open},
 * macOS's {@code open}); where none can, the printed address is all there is.
 */
final class Browser {
  private Browser() {}

  static void open(URI address) {
    try {
      if (!java.awt.GraphicsEnvironment.isHeadless()
          && Desktop.isDesktopSupported()
          && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
        Desktop.getDesktop().browse(address);
        return;
      }
    } catch (Exception | LinkageError e) {
      // no desktop here: try the commands below
    }
    // macOS's open; elsewhere xdg-open (Linux's own "open" is openvt, not a browser)
    boolean mac =
        System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("mac");
    try {
      new ProcessBuilder(mac ? "open" : "xdg-open", address.toString())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (java.io.IOException e) {
      // not installed: the printed address is all there is
    }
  }
}
