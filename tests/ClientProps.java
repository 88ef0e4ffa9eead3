// ClientProps.java - what Java reads in the generated client files.
//
//     java tests/ClientProps.java FILE...
//
// Run as a single-file source program (JDK 11 or later). For each FILE it
// loads a java.util.Properties from the file's bytes (Properties.load, as
// Kafka's clients and Connect read --consumer.config and worker files), and
// parses every value whose key ends in "sasl.jaas.config" with the JDK's
// own JAAS configuration parser (com.sun.security.auth.login.ConfigFile;
// Kafka's JaasConfig follows its grammar), with ${...} left as it is, as
// Kafka leaves it to its config providers. It prints one JSON object:
// {FILE: {"properties": {KEY: VALUE}, "jaas": {KEY: [{"module", "flag",
// "options"}]}}} or {FILE: {"error": MESSAGE}}.
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import javax.security.auth.login.AppConfigurationEntry;

public class ClientProps {
    static String q(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') b.append('\\').append(c);
            else if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }

    static String jaas(String value) throws Exception {
        Path f = Files.createTempFile("jaas", ".conf");
        try {
            Files.write(f, ("KafkaClient {\n" + value + "\n};\n").getBytes(StandardCharsets.UTF_8));
            AppConfigurationEntry[] es =
                new com.sun.security.auth.login.ConfigFile(f.toUri()).getAppConfigurationEntry("KafkaClient");
            if (es == null) throw new Exception("no login module");
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < es.length; i++) {
                AppConfigurationEntry e = es[i];
                String flag = e.getControlFlag().toString().replace("LoginModuleControlFlag: ", "");
                b.append(i > 0 ? ", " : "").append("{\"module\": ").append(q(e.getLoginModuleName()))
                    .append(", \"flag\": ").append(q(flag)).append(", \"options\": {");
                int k = 0;
                for (Map.Entry<String, ?> o : new TreeMap<String, Object>(e.getOptions()).entrySet())
                    b.append(k++ > 0 ? ", " : "").append(q(o.getKey())).append(": ").append(q(String.valueOf(o.getValue())));
                b.append("}}");
            }
            return b.append("]").toString();
        } finally {
            Files.delete(f);
        }
    }

    public static void main(String[] args) throws Exception {
        // ${env:KAFKA_PASSWORD} is for Kafka's config provider, not a
        // system property for the JAAS parser to expand.
        Security.setProperty("policy.expandProperties", "false");
        StringBuilder out = new StringBuilder("{");
        for (int n = 0; n < args.length; n++) {
            out.append(n > 0 ? ",\n " : "").append(q(args[n])).append(": ");
            try (InputStream in = new FileInputStream(args[n])) {
                Properties p = new Properties();
                p.load(in);
                TreeMap<String, String> sorted = new TreeMap<>();
                for (String k : p.stringPropertyNames()) sorted.put(k, p.getProperty(k));
                StringBuilder props = new StringBuilder(), j = new StringBuilder();
                for (Map.Entry<String, String> e : sorted.entrySet()) {
                    props.append(props.length() > 0 ? ", " : "").append(q(e.getKey())).append(": ").append(q(e.getValue()));
                    if (e.getKey().endsWith("sasl.jaas.config"))
                        j.append(j.length() > 0 ? ", " : "").append(q(e.getKey())).append(": ").append(jaas(e.getValue()));
                }
                out.append("{\"properties\": {").append(props).append("}, \"jaas\": {").append(j).append("}}");
            } catch (Exception e) {
                out.append("{\"error\": ").append(q(e.toString())).append("}");
            }
        }
        System.out.println(out.append("}"));
    }
}
