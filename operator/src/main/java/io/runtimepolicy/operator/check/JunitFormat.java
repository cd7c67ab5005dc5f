package io.runtimepolicy.operator.check;

import io.runtimepolicy.operator.check.WorkloadReport.State;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * JUnit XML as CI servers read it (Jenkins, GitLab, Azure DevOps): a testsuite per input file, a
 * testcase per workload, a {@code failure} per violated rule; a workload that is not governed is
 * {@code skipped}; the values admission would set and the notices go to {@code system-out}; an
 * unreadable input is a testcase with an {@code error}.
 */
final class JunitFormat {

  private JunitFormat() {}

  static String render(CheckResult result) {
    try {
      Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().newDocument();
      Element suites = doc.createElement("testsuites");
      suites.setAttribute("name", SarifFormat.TOOL);
      doc.appendChild(suites);
      Map<WorkloadReport, List<Results>> byWorkload = new IdentityHashMap<>();
      Results.of(result).stream()
          .filter(r -> r.workload() != null)
          .forEach(r -> byWorkload.computeIfAbsent(r.workload(), k -> new ArrayList<>()).add(r));
      Map<String, List<WorkloadReport>> byFile =
          result.workloads().stream()
              .collect(
                  Collectors.groupingBy(
                      w -> w.manifest().source().name(), LinkedHashMap::new, Collectors.toList()));
      int[] totals = {0, 0};
      byFile.forEach(
          (file, workloads) -> {
            Element suite = suite(doc, suites, file);
            int failures = 0;
            for (WorkloadReport w : workloads) {
              failures += testcase(doc, suite, w, byWorkload.getOrDefault(w, List.of()));
            }
            suite.setAttribute("tests", Integer.toString(workloads.size()));
            suite.setAttribute("failures", Integer.toString(failures));
            totals[0] += workloads.size();
            totals[1] += failures;
          });
      suites.setAttribute("tests", Integer.toString(totals[0] + result.unreadable().size()));
      suites.setAttribute("failures", Integer.toString(totals[1]));
      suites.setAttribute("errors", Integer.toString(result.unreadable().size()));
      for (Unreadable u : result.unreadable()) {
        Element suite = suite(doc, suites, u.file());
        suite.setAttribute("tests", "1");
        suite.setAttribute("errors", "1");
        Element testcase = child(doc, suite, "testcase");
        testcase.setAttribute("classname", u.file());
        testcase.setAttribute("name", u.file());
        Element error = child(doc, testcase, "error");
        error.setAttribute("type", Results.UNREADABLE_RULE);
        error.setAttribute("message", u.toString());
      }
      return write(doc);
    } catch (ParserConfigurationException | TransformerException e) {
      throw new IllegalStateException("the JDK's XML support is missing", e);
    }
  }

  private static int testcase(Document doc, Element suite, WorkloadReport w, List<Results> rs) {
    Element testcase = child(doc, suite, "testcase");
    testcase.setAttribute("classname", w.manifest().source().name());
    testcase.setAttribute("name", w.title() + " (line " + w.line() + ")");
    if (w.state() == State.NotGoverned) {
      child(doc, testcase, "skipped").setAttribute("message", "not governed");
    }
    int failures = 0;
    StringBuilder out = new StringBuilder();
    for (Results r : rs) {
      String where = r.file() + ":" + r.line() + ": ";
      if ("error".equals(r.level())) {
        Element failure = child(doc, testcase, "failure");
        failure.setAttribute("type", r.ruleId());
        failure.setAttribute("message", r.message());
        failure.setTextContent(where + r.message());
        failures++;
      } else {
        out.append(where).append(r.ruleId()).append(": ").append(r.message()).append('\n');
      }
    }
    if (out.length() > 0) {
      child(doc, testcase, "system-out").setTextContent(out.toString());
    }
    return failures;
  }

  private static Element suite(Document doc, Element suites, String file) {
    Element suite = child(doc, suites, "testsuite");
    suite.setAttribute("name", file);
    return suite;
  }

  private static Element child(Document doc, Element parent, String name) {
    Element element = doc.createElement(name);
    parent.appendChild(element);
    return element;
  }

  private static String write(Document doc) throws TransformerException {
    var transformer = TransformerFactory.newInstance().newTransformer();
    transformer.setOutputProperty(OutputKeys.INDENT, "yes");
    transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
    StringWriter out = new StringWriter();
    transformer.transform(new DOMSource(doc), new StreamResult(out));
    return out + "\n";
  }
}
