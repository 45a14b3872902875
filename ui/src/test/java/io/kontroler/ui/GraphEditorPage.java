package io.kontroler.ui;

import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The editor page's graph as a user works it: the toolbar's buttons, the side form, clicks on a
 * node and drags from one node to another with the mouse. Where the graph is read, it is through
 * the attributes the page keeps on the graph element ({@code data-tasks}, {@code data-links},
 * {@code data-faults}).
 */
public final class GraphEditorPage {
  private final ChromeDriver browser;
  private final WebDriverWait wait;

  public GraphEditorPage(ChromeDriver browser, WebDriverWait wait) {
    this.browser = browser;
    this.wait = wait;
  }

  public WebElement graph() {
    return browser.findElement(By.id("graph-editor"));
  }

  /** The task names drawn, in the order of the YAML. */
  public List<String> tasks() {
    String names = graph().getAttribute("data-tasks");
    return names == null || names.isBlank() ? List.of() : List.of(names.split(" "));
  }

  /** The links drawn, as {@code from>to}. */
  public List<String> links() {
    String links = graph().getAttribute("data-links");
    return links == null || links.isBlank() ? List.of() : List.of(links.split(" "));
  }

  /** Names the DAG in the toolbar's field. */
  public void name(String dag) {
    WebElement name = browser.findElement(By.id("graph-dag-name"));
    name.clear();
    name.sendKeys(dag, org.openqa.selenium.Keys.TAB);
  }

  /** New: an empty canvas, confirmed when the editor held tasks. */
  public void startNew() {
    boolean asks = !tasks().isEmpty();
    browser.findElement(By.id("graph-new")).click();
    if (asks) {
      wait.until(ExpectedConditions.alertIsPresent()).accept();
    }
    wait.until(d -> tasks().isEmpty());
  }

  /** Add task: the side form filled in and submitted. */
  public void addTask(String name, String image, String command) {
    browser.findElement(By.id("graph-add")).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("graph-task-name"))).sendKeys(name);
    browser.findElement(By.id("graph-task-image")).sendKeys(image);
    browser.findElement(By.id("graph-task-command")).sendKeys(command);
    browser.findElement(By.id("graph-task-save")).click();
    wait.until(d -> tasks().contains(name));
  }

  /** Connect, then a drag from {@code from} to {@code to}: {@code to} runs after {@code from}. */
  public void connect(String from, String to) {
    browser.findElement(By.id("graph-connect")).click();
    wait.until(d -> "connect".equals(graph().getAttribute("data-mode")));
    int[] a = offsetOf(from);
    int[] b = offsetOf(to);
    drag(from, to);
    try {
      wait.until(d -> links().contains(from + ">" + to));
    } catch (org.openqa.selenium.TimeoutException e) {
      try {
        java.nio.file.Path shot = java.nio.file.Path.of("target", "ui-screenshots");
        java.nio.file.Files.createDirectories(shot);
        java.nio.file.Files.write(
            shot.resolve("graph-connect-failed.png"),
            browser.getScreenshotAs(org.openqa.selenium.OutputType.BYTES));
      } catch (java.io.IOException ignored) {
        // the message below says what matters
      }
      throw new AssertionError(
          "Expected a link "
              + from
              + ">"
              + to
              + " after dragging from "
              + java.util.Arrays.toString(a)
              + " to "
              + java.util.Arrays.toString(b)
              + " (from the graph's centre, of size "
              + graph().getSize()
              + "), but the links are "
              + links()
              + " and the editor says: "
              + browser.findElement(By.id("graph-note")).getText(),
          e);
    }
  }

  /**
   * Where a task's node is, from the graph element's centre (as Selenium offsets are), once the
   * graph has drawn what it was last given.
   */
  private int[] offsetOf(String task) {
    @SuppressWarnings("unchecked")
    List<Number> at =
        (List<Number>)
            browser.executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                    + " const n = document.getElementById('graph-editor').kontrolerEditor.network;"
                    + " requestAnimationFrame(() => requestAnimationFrame(() => {"
                    + " const p = n.canvasToDOM(n.getPosition(arguments[0])); done([p.x, p.y]); }));",
                task);
    Dimension size = graph().getSize();
    return new int[] {
      (int) Math.round(at.get(0).doubleValue() - size.getWidth() / 2.0),
      (int) Math.round(at.get(1).doubleValue() - size.getHeight() / 2.0)
    };
  }

  public void clickNode(String task) {
    int[] at = offsetOf(task);
    new Actions(browser).moveToElement(graph(), at[0], at[1]).click().perform();
  }

  public void drag(String from, String to) {
    int[] a = offsetOf(from);
    int[] b = offsetOf(to);
    int dx = b[0] - a[0];
    int dy = b[1] - a[1];
    new Actions(browser)
        .moveToElement(graph(), a[0], a[1])
        .clickAndHold()
        .moveByOffset(dx / 4, dy / 4)
        .moveByOffset(dx / 4, dy / 4)
        .moveByOffset(dx / 4, dy / 4)
        .moveByOffset(dx - 3 * (dx / 4), dy - 3 * (dy / 4))
        .release()
        .perform();
  }
}
