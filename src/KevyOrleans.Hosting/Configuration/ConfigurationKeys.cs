using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace KevyOrleans.Hosting;

/// <summary>
/// What the options classes accept, checked before binding: every key under a section must name a
/// public settable property of its options class (case-insensitive, as the binder matches), list
/// entries are numbered, and every value converts to its property's type. A typo such as
/// <c>DownAfter</c> for <c>DownAfterMs</c> would otherwise be ignored silently, and in a failover
/// product a silently ignored timing is a wrong failover.
/// </summary>
public static class ConfigurationKeys
{
    /// <summary>
    /// Adds an error for every unknown key and every value that does not convert, under <paramref name="section"/>;
    /// returns how many values do not convert (binding would fail on them).
    /// </summary>
    /// <param name="section">The section to check.</param>
    /// <param name="type">The options class the section binds to.</param>
    /// <param name="errors">Where errors are added.</param>
    /// <param name="isKnown">Further top-level names the caller accepts (sections of other components), or null.</param>
    public static int Check(IConfigurationSection section, Type type, ICollection<ConfigurationError> errors, Func<string, bool>? isKnown = null)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(errors);
        var unconvertible = 0;
        CheckObject(section, type, errors, isKnown, ref unconvertible);
        return unconvertible;
    }

    /// <summary>Every key <paramref name="type"/> accepts, relative to its section (<c>Timings:HeartbeatMs</c>, <c>Groups:N:Name</c>).</summary>
    public static IEnumerable<string> Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        foreach (var p in Properties(type))
        {
            var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            if (IsScalar(t))
            {
                yield return p.Name;
            }
            else
            {
                var (child, prefix) = ListElement(t) is { } element ? (element, $"{p.Name}:N") : (t, p.Name);
                foreach (var key in Of(child))
                {
                    yield return $"{prefix}:{key}";
                }
            }
        }
    }

    private static void CheckObject(IConfigurationSection section, Type type, ICollection<ConfigurationError> errors, Func<string, bool>? isKnown, ref int unconvertible)
    {
        var properties = Properties(type).ToList();
        foreach (var child in section.GetChildren())
        {
            var property = properties.Find(p => string.Equals(p.Name, child.Key, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                if (isKnown?.Invoke(child.Key) != true)
                {
                    errors.Add(new(child.Path, child.Value, $"{child.Path} is not a configuration key (a typo?); the keys of {section.Path} are " +
                        string.Join(", ", properties.Select(p => p.Name).Concat(Extra(isKnown, section)))));
                }
                continue;
            }
            CheckValue(child, property.PropertyType, errors, ref unconvertible);
        }
    }

    private static IEnumerable<string> Extra(Func<string, bool>? isKnown, IConfigurationSection section) =>
        isKnown is null ? [] : section.GetChildren().Select(c => c.Key).Where(isKnown);

    private static void CheckValue(IConfigurationSection section, Type declared, ICollection<ConfigurationError> errors, ref int unconvertible)
    {
        var type = Nullable.GetUnderlyingType(declared) ?? declared;
        if (IsScalar(type))
        {
            if (!string.IsNullOrEmpty(section.Value) && type != typeof(string) && !Converts(section.Value, type))
            {
                errors.Add(new(section.Path, section.Value, $"{section.Path} is '{section.Value}'; it must be {Expected(type)}"));
                unconvertible++;
            }
            return;
        }
        if (ListElement(type) is { } element)
        {
            foreach (var entry in section.GetChildren())
            {
                if (!int.TryParse(entry.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    errors.Add(new(entry.Path, entry.Value, $"{entry.Path} is not a configuration key; the entries of {section.Path} are numbered 0, 1, 2, ..."));
                    continue;
                }
                CheckValue(entry, element, errors, ref unconvertible);
            }
            return;
        }
        CheckObject(section, type, errors, isKnown: null, ref unconvertible);
    }

    private static bool Converts(string value, Type type)
    {
        try
        {
            return TypeDescriptor.GetConverter(type).ConvertFromInvariantString(value) is not null;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or OverflowException or NotSupportedException)
        {
            return false;
        }
    }

    private static string Expected(Type type) =>
        type == typeof(bool) ? "true or false" :
        type == typeof(int) || type == typeof(long) ? "a whole number" :
        $"a value of type {type.Name}";

    private static IEnumerable<PropertyInfo> Properties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.SetMethod!.IsPublic && p.GetIndexParameters().Length == 0);

    private static bool IsScalar(Type type) => type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Uri);

    private static Type? ListElement(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0] : null;
}
