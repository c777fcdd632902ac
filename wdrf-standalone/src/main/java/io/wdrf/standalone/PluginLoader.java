package io.wdrf.standalone;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The class loader searched for {@code PriorityPolicyProvider} plugins: the application's, plus plugin jars. */
final class PluginLoader implements AutoCloseable {

    private final ClassLoader loader;
    private final List<Path> jars;

    private PluginLoader(ClassLoader loader, List<Path> jars) {
        this.loader = loader;
        this.jars = List.copyOf(jars);
    }

    /** Loads every {@code *.jar} in {@code dir} (sorted by name) over {@code parent}; {@code dir} may be null. */
    static PluginLoader of(Path dir, ClassLoader parent) {
        if (dir == null) {
            return new PluginLoader(parent, List.of());
        }
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().forEach(jars::add);
        } catch (IOException e) {
            throw new InvalidConfigException("wdrf.plugin-path", "cannot list " + dir + ": " + e.getMessage(), e);
        }
        if (jars.isEmpty()) {
            return new PluginLoader(parent, List.of());
        }
        URL[] urls = new URL[jars.size()];
        for (int i = 0; i < urls.length; i++) {
            try {
                urls[i] = jars.get(i).toUri().toURL();
            } catch (MalformedURLException e) {
                throw new InvalidConfigException("wdrf.plugin-path", "bad jar path " + jars.get(i), e);
            }
        }
        return new PluginLoader(new URLClassLoader("wdrf-plugins", urls, parent), jars);
    }

    ClassLoader classLoader() {
        return loader;
    }

    List<Path> jars() {
        return jars;
    }

    @Override
    public void close() throws IOException {
        if (loader instanceof URLClassLoader u && !jars.isEmpty()) {
            u.close();
        }
    }
}
