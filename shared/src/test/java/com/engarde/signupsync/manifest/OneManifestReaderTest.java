package com.engarde.signupsync.manifest;

import com.engarde.signupsync.integrations.IntegrationDeclaration;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One reader of {@code function.json} in the whole build: {@link FunctionManifest}, in a package the CDK app can
 * load. Outside that package no source file (main or test, in any module) reads JSON right next to a manifest's
 * name, nor takes a manifest's fields out of a JSON tree: either is a second parser in the making.
 */
class OneManifestReaderTest {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final Path MANIFEST_PACKAGE = Path.of("shared/src/main/java/com/engarde/signupsync/manifest");
    private static final Path INTEGRATIONS_PACKAGE = Path.of("shared/src/main/java/com/engarde/signupsync/integrations");
    /**
     * The template tests read the raw JSON on purpose (Synth.manifests, their one read of the files) as the
     * oracle the synthesized template is checked against: a parser that dropped a route would otherwise hide in
     * both the template and its check.
     */
    private static final Path ORACLE = Path.of("template-tests/src/test/java/com/engarde/signupsync/templates/Synth.java");
    private static final Path ORACLE_USERS = Path.of("template-tests/src/test/java/com/engarde/signupsync/templates");

    private static final Pattern MANIFEST_NAME = Pattern.compile(
            "\"[^\"\\n]*(function\\.json|META-INF/signup-sync/functions)[^\"\\n]*\"|FunctionManifest\\.FILE_NAME|FunctionManifests\\.FOLDER");
    private static final Pattern JSON_READ = Pattern.compile("\\.(readTree|readValue|readValues|createParser|treeToValue)\\(");
    private static final int NEAR = 8;
    /** Fields only a manifest has, taken out of a JSON tree. */
    private static final Pattern MANIFEST_FIELD = Pattern.compile("\\.(path|get|has|hasNonNull)\\(\"(routes|triggers|memoryMb"
            + "|timeoutSeconds|reservedConcurrency|busPublisher|databaseOwner|runWhenChanged|detailType)\"\\)");

    @Test
    void noSourceFileOutsideTheManifestPackageReadsAManifest() {
        Map<Path, Integer> scanned = new TreeMap<>();
        List<String> readers = new ArrayList<>();
        for (Path file : javaSources()) {
            Path relative = ROOT.relativize(file);
            if (relative.startsWith(MANIFEST_PACKAGE) || relative.equals(ORACLE)) {
                continue;
            }
            List<Integer> names = new ArrayList<>();
            List<Integer> reads = new ArrayList<>();
            String[] lines = withoutComments(read(file)).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (MANIFEST_FIELD.matcher(lines[i]).find() && !relative.startsWith(ORACLE_USERS)) {
                    readers.add(relative + ":" + (i + 1) + " takes a manifest's field out of JSON");
                }
                if (MANIFEST_NAME.matcher(lines[i]).find()) {
                    names.add(i);
                }
                if (JSON_READ.matcher(lines[i]).find()) {
                    reads.add(i);
                }
            }
            scanned.put(relative, lines.length);
            for (int name : names) {
                reads.stream().filter(r -> Math.abs(r - name) <= NEAR).findFirst()
                        .ifPresent(r -> readers.add(relative + ":" + (r + 1) + " reads JSON beside a manifest's name"));
            }
        }
        assertThat(scanned).as("the sources of every module were scanned").hasSizeGreaterThan(300)
                .containsKeys(Path.of("infra-cdk/src/main/java/com/engarde/signupsync/infra/SignupSyncApp.java"),
                        Path.of("local/src/main/java/com/engarde/signupsync/local/LocalRun.java"),
                        Path.of("shared/src/main/java/com/engarde/signupsync/api/RouteAuthFilter.java"));
        assertThat(readers).as("manifests read outside " + MANIFEST_PACKAGE
                + ": read them through FunctionManifest or FunctionManifests").isEmpty();
        String parser = read(ROOT.resolve(MANIFEST_PACKAGE).resolve("FunctionManifest.java"));
        assertThat(parser).as("the rules match the one parser").containsPattern(JSON_READ).containsPattern(MANIFEST_FIELD);
    }

    /**
     * The CDK app loads this package without Micronaut, the AWS SDK or a database driver on its classpath, and
     * with it what it reads: the catalog of secrets, the integrations' declarations it derives from, and the
     * source type those name.
     */
    @Test
    void theManifestPackageAndWhatItReadsNeedNothingButTheJdkAndJackson() {
        List<String> imports = new ArrayList<>();
        List<Path> files = javaSources().stream().filter(f -> ROOT.relativize(f).startsWith(MANIFEST_PACKAGE)
                || ROOT.relativize(f).startsWith(INTEGRATIONS_PACKAGE)).toList();
        assertThat(files).hasSizeGreaterThanOrEqualTo(8);
        List<Path> checked = new ArrayList<>(files);
        checked.add(ROOT.resolve("shared/src/main/java/com/engarde/signupsync/config/SecretName.java"));
        checked.add(ROOT.resolve("shared/src/main/java/com/engarde/signupsync/funnel/SourceType.java"));
        int declarations = 0;
        for (IntegrationDeclaration declaration : ServiceLoader.load(IntegrationDeclaration.class)) {
            checked.add(ROOT.resolve("shared/src/main/java").resolve(declaration.getClass().getName().replace('.', '/') + ".java"));
            declarations++;
        }
        assertThat(declarations).isGreaterThanOrEqualTo(5);
        for (Path file : checked) {
            Matcher imported = Pattern.compile("(?m)^import (static )?([\\w.]+)").matcher(read(file));
            while (imported.find()) {
                String name = imported.group(2);
                boolean allowed = name.startsWith("java.") || name.startsWith("com.fasterxml.jackson.")
                        || name.startsWith("com.engarde.signupsync.manifest.")
                        || name.startsWith("com.engarde.signupsync.integrations.")
                        || name.equals("com.engarde.signupsync.config.SecretName")
                        || name.equals("com.engarde.signupsync.funnel.SourceType")
                        // Kept in the class file only: nothing loads it at run time.
                        || name.equals("com.google.auto.service.AutoService");
                if (!allowed) {
                    imports.add(ROOT.relativize(file) + ": " + name);
                }
            }
        }
        assertThat(imports).isEmpty();
    }

    private static List<Path> javaSources() {
        try (Stream<Path> walk = Files.walk(ROOT)) {
            return walk.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> {
                        String relative = ROOT.relativize(p).toString().replace('\\', '/');
                        return relative.contains("/src/") && !relative.contains("/target/")
                                && !relative.startsWith("node_modules/") && !relative.startsWith(".");
                    })
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Block and line comments blanked, line breaks kept, so that a comment about manifests is not a reader. */
    private static String withoutComments(String source) {
        Matcher comment = Pattern.compile("/\\*.*?\\*/|(?m)(?<![:\"])//[^\\n]*", Pattern.DOTALL).matcher(source);
        StringBuilder out = new StringBuilder();
        while (comment.find()) {
            comment.appendReplacement(out, Matcher.quoteReplacement(comment.group().replaceAll("[^\\n]", " ")));
        }
        comment.appendTail(out);
        return out.toString();
    }
}
