using KevyOrleans.Grains;
using KevyOrleans.Hosting.Hooks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KevyOrleans.Hosting;

/// <summary>Registers the webhook (<c>Kevy:Hooks</c>) on an Orleans silo.</summary>
public static class KevyHooksSiloBuilderExtensions
{
    /// <summary>Adds the webhook, reading the <c>Kevy:Hooks</c> section.</summary>
    public static ISiloBuilder AddKevyHooks(this ISiloBuilder builder, IConfiguration hooksSection)
    {
        ArgumentNullException.ThrowIfNull(hooksSection);
        return builder.AddKevyHooks(hooksSection.Bind);
    }

    /// <summary>
    /// Adds the webhook: hosted members publish every election, switchover, fence and conflict to a bounded
    /// queue, sent as JSON to <see cref="HooksOptions.Url"/> with retries (nothing is sent while it is empty).
    /// Calling it again adds the configuration; the dispatcher is registered once.
    /// </summary>
    public static ISiloBuilder AddKevyHooks(this ISiloBuilder builder, Action<HooksOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<HooksOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HooksOptions>, HooksOptionsValidator>());
        services.AddMetrics();
        if (!services.Any(d => d.ServiceType == typeof(HookDispatcher)))
        {
            services.AddSingleton<HookDispatcher>();
            services.AddSingleton<IKevyEventSink>(sp => sp.GetRequiredService<HookDispatcher>());
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<HookDispatcher>());
        }
        return builder;
    }
}

internal sealed class HooksOptionsValidator : IValidateOptions<HooksOptions>
{
    public ValidateOptionsResult Validate(string? name, HooksOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
