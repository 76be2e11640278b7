using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OpenList.DriverHost.Drivers.Local;

namespace OpenList.DriverHost.Drivers.Tests.Local;

/// <summary>A fresh temporary folder, removed on dispose, and Local drivers over it.</summary>
internal sealed class LocalTestRoot : IDisposable
{
    public LocalTestRoot()
    {
        Base = Path.Combine(Path.GetTempPath(), "dh-local-tests-" + Guid.NewGuid().ToString("N"));
        Root = Path.Combine(Base, "root");
        Directory.CreateDirectory(Root);
    }

    /// <summary>A folder holding <see cref="Root"/> and whatever a test puts beside it ("outside").</summary>
    public string Base { get; }

    /// <summary>The storage root folder.</summary>
    public string Root { get; }

    public static JsonElement Addition(object? rootFolderPath) =>
        JsonDocument.Parse(JsonSerializer.Serialize(new Dictionary<string, object?> { ["root_folder_path"] = rootFolderPath })).RootElement.Clone();

    public DriverContext Context(string? configDirectory = null) =>
        new("/local", configDirectory ?? Base, NullLoggerFactory.Instance, TimeProvider.System);

    /// <summary>An initialised driver over <paramref name="rootFolderPath"/> (default <see cref="Root"/>).</summary>
    public async Task<LocalDriver> CreateDriverAsync(string? rootFolderPath = null)
    {
        var factory = new LocalDriverFactory();
        var addition = Addition(rootFolderPath ?? Root);
        var context = Context();
        Assert.Empty(factory.Validate(addition, context));
        var driver = (LocalDriver)factory.Create(addition, context);
        await driver.InitializeAsync(CancellationToken.None);
        return driver;
    }

    public void Dispose()
    {
        if (Directory.Exists(Base))
        {
            Directory.Delete(Base, recursive: true);
        }
    }
}
