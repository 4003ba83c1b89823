using Microsoft.Extensions.Configuration;

namespace KevyOrleans.Hosting;

/// <summary>
/// A subsection of <c>Kevy</c> owned by another component (the silo's <c>Admin</c>, the gateway's
/// <c>Gateway</c>): read by <see cref="KevyConfiguration"/> with the same key and value checks, then
/// validated by its owner; its errors join the others.
/// </summary>
public abstract class KevyHostSection
{
    /// <summary>A section named <paramref name="name"/> under <c>Kevy</c>.</summary>
    protected KevyHostSection(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The key under <c>Kevy</c>, such as <c>Admin</c>.</summary>
    public string Name { get; }

    /// <summary>The options class the section binds to.</summary>
    public abstract Type OptionsType { get; }

    /// <summary>Binds <paramref name="section"/> and validates it; null when it does not bind.</summary>
    internal abstract object? Read(IConfigurationSection section, List<ConfigurationError> errors);

    /// <summary>A section bound to <typeparamref name="T"/> and checked by <paramref name="validate"/>.</summary>
    public static KevyHostSection Of<T>(string name, Func<T, IEnumerable<ConfigurationError>> validate) where T : class, new() =>
        new Typed<T>(name, validate);

    private sealed class Typed<T>(string name, Func<T, IEnumerable<ConfigurationError>> validate) : KevyHostSection(name) where T : class, new()
    {
        public override Type OptionsType => typeof(T);

        internal override object? Read(IConfigurationSection section, List<ConfigurationError> errors)
        {
            var unconvertible = ConfigurationKeys.Check(section, typeof(T), errors);
            if (KevyConfiguration.Bind<T>(section, errors, unconvertible > 0) is not { } options)
            {
                return null;
            }
            errors.AddRange(validate(options));
            return options;
        }
    }
}
