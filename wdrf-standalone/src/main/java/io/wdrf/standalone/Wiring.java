package io.wdrf.standalone;

import com.google.inject.AbstractModule;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.Stage;
import com.google.inject.spi.Message;
import com.google.inject.util.Modules;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.wdrf.api.DemandModel;
import io.wdrf.engine.KueueDemandModel;
import io.wdrf.engine.WdrfEngine;
import io.wdrf.kueue.InMemoryCluster;
import io.wdrf.hami.HamiDemandModel;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Guice wiring: a core module (settings, clock, demand model, policy and engine, metrics, controller) and one module
 * per backend, chosen by {@code wdrf.backend}.
 */
final class Wiring {

    private Wiring() {
    }

    /** Creates the injector for {@code settings}, with optional overrides (tests, demo). */
    static Injector injector(Settings settings, Module... overrides) {
        Module prod = Modules.combine(new CoreModule(settings), backendModule(settings));
        Module all = overrides.length == 0 ? prod : Modules.override(prod).with(overrides);
        try {
            return Guice.createInjector(Stage.PRODUCTION, all);
        } catch (CreationException e) {
            throw unwrap(e.getErrorMessages(), e);
        } catch (ProvisionException e) {
            throw unwrap(e.getErrorMessages(), e);
        }
    }

    /** The backend module named by the configuration. */
    static Module backendModule(Settings settings) {
        return switch (settings.backend()) {
            case "memory" -> new MemoryBackendModule();
            case "fabric8" -> new KubeBackends.Fabric8Module();
            case "official" -> new KubeBackends.OfficialModule();
            default -> throw new InvalidConfigException("wdrf.backend", "'" + settings.backend()
                    + "' is not one of " + String.join(", ", ConfigLoader.BACKENDS));
        };
    }

    /** Surfaces configuration errors hidden inside Guice's exceptions. */
    private static RuntimeException unwrap(java.util.Collection<Message> messages, RuntimeException original) {
        List<Throwable> causes = new ArrayList<>();
        for (Message m : messages) {
            if (m.getCause() != null) {
                causes.add(m.getCause());
            }
        }
        causes.add(original.getCause());
        for (Throwable t : causes) {
            for (Throwable c = t; c != null; c = c.getCause()) {
                if (c instanceof InvalidConfigException ice) {
                    return ice;
                }
                if (c instanceof IllegalArgumentException iae) {
                    return ConfigLoader.toInvalid(iae);
                }
            }
        }
        return original;
    }

    /** Settings, clock, plugins, demand model, engine, metrics, controller. */
    static final class CoreModule extends AbstractModule {
        private final Settings settings;

        CoreModule(Settings settings) {
            this.settings = settings;
        }

        @Override
        protected void configure() {
            binder().requireExplicitBindings();
            binder().disableCircularProxies();
            bind(Settings.class).toInstance(settings);
        }

        @Provides
        @Singleton
        Clock clock() {
            return Clock.systemUTC();
        }

        @Provides
        @Singleton
        PluginLoader plugins(Settings s) {
            return PluginLoader.of(s.pluginPath(), Wiring.class.getClassLoader());
        }

        @Provides
        @Singleton
        DemandModel demandModel(Settings s) {
            return s.hami() != null ? new HamiDemandModel(s.hami()) : new KueueDemandModel();
        }

        @Provides
        @Singleton
        WdrfEngine engine(Settings s, DemandModel demand, Clock clock, PluginLoader plugins) {
            return ConfigLoader.mapped(() -> WdrfEngine.builder().config(s.policyConfig()).policy(s.policy())
                    .classLoader(plugins.classLoader()).demandModel(demand).clock(clock).build());
        }

        @Provides
        @Singleton
        PrometheusMeterRegistry registry() {
            PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(r);
            new JvmGcMetrics().bindTo(r);
            new JvmThreadMetrics().bindTo(r);
            new ProcessorMetrics().bindTo(r);
            return r;
        }

        @Provides
        @Singleton
        Metrics metrics(PrometheusMeterRegistry r) {
            return new Metrics(r);
        }

        @Provides
        @Singleton
        Controller controller(Settings s, Backend backend, WdrfEngine engine, Metrics metrics,
                              PrometheusMeterRegistry registry) {
            return new Controller(s, backend, engine, metrics, registry, null);
        }
    }

    /** The embedded in-memory cluster with the demo scenario; never elects (always leader). */
    static final class MemoryBackendModule extends AbstractModule {
        @Provides
        @Singleton
        InMemoryCluster cluster(Clock clock, Settings s) {
            return DemoScenario.cluster(clock, s.hami() != null);
        }

        @Provides
        @Singleton
        Backend backend(InMemoryCluster cluster) {
            return new Backend("memory", cluster, cluster, null, null);
        }
    }
}
