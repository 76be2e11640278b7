using System.Text.Json;
using OpenList.DriverHost.Drivers.Errors;
using OpenList.DriverHost.Drivers.Local;

namespace OpenList.DriverHost.Drivers.Tests.Local;

/// <summary>The Local driver's settings: metadata, validation (every problem reported) and root folder resolution.</summary>
public sealed class LocalDriverFactoryTests : IDisposable
{
    private readonly LocalTestRoot _root = new();
    private readonly LocalDriverFactory _factory = new();

    public void Dispose() => _root.Dispose();

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    [Fact]
    public void Name_IsSpelledAsOpenListSpellsIt() => Assert.Equal("Local", _factory.Name);

    [Fact]
    public void Settings_DeclareTheRequiredRootFolderPath()
    {
        var setting = Assert.Single(_factory.Settings);
        Assert.Equal("root_folder_path", setting.Key);
        Assert.True(setting.Required);
        Assert.False(setting.Sensitive);
        Assert.False(string.IsNullOrWhiteSpace(setting.Help));
    }

    [Theory]
    [InlineData("{}", "is required")]
    [InlineData("""{"root_folder_path":null}""", "is required")]
    [InlineData("""{"root_folder_path":""}""", "must not be empty")]
    [InlineData("""{"root_folder_path":"   "}""", "must not be empty")]
    [InlineData("""{"root_folder_path":42}""", "must be a string, not a number")]
    [InlineData("""{"root_folder_path":true}""", "must be a string, not a boolean")]
    [InlineData("""{"root_folder_path":["a"]}""", "must be a string, not an array")]
    [InlineData("""{"root_folder_path":{"path":"a"}}""", "must be a string, not an object")]
    public void Validate_ReportsABadRootFolderPath(string addition, string message)
    {
        var error = Assert.Single(_factory.Validate(Json(addition), _root.Context()));
        Assert.Equal("root_folder_path", error.Key);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""["root_folder_path"]""", "not an array")]
    [InlineData("\"./data\"", "not a string")]
    [InlineData("null", "not null")]
    public void Validate_ReportsAnAdditionThatIsNotAnObject_AgainstTheAdditionItself(string addition, string message)
    {
        var error = Assert.Single(_factory.Validate(Json(addition), _root.Context()));
        Assert.Equal(string.Empty, error.Key);
        Assert.Contains("must be a JSON object", error.Message, StringComparison.Ordinal);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ReportsAPathThatIsAFile()
    {
        var file = Path.Combine(_root.Base, "a-file");
        File.WriteAllText(file, "x");

        var absolute = Assert.Single(_factory.Validate(LocalTestRoot.Addition(file), _root.Context()));
        var relative = Assert.Single(_factory.Validate(LocalTestRoot.Addition("a-file"), _root.Context(configDirectory: _root.Base)));

        Assert.Equal("root_folder_path", absolute.Key);
        Assert.Contains("is a file", absolute.Message, StringComparison.Ordinal);
        Assert.Contains("is a file", relative.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AcceptsAnExistingFolderAndAMissingOne()
    {
        Assert.Empty(_factory.Validate(LocalTestRoot.Addition(_root.Root), _root.Context()));
        Assert.Empty(_factory.Validate(LocalTestRoot.Addition("./data/not-yet"), _root.Context()));
        Assert.Empty(_factory.Validate(Json("""{"root_folder_path":"./data","show_hidden":true}"""), _root.Context()));
    }

    [Fact]
    public void Create_RefusesAnAdditionThatFailsValidation() =>
        Assert.Throws<ArgumentException>(() => _factory.Create(Json("{}"), _root.Context()));

    [Fact]
    public async Task RelativeRootFolderPath_ResolvesAgainstTheConfigDirectory()
    {
        var configDirectory = Path.Combine(_root.Base, "config");
        Directory.CreateDirectory(configDirectory);
        var driver = _factory.Create(LocalTestRoot.Addition("./data/sub"), _root.Context(configDirectory));
        await driver.InitializeAsync(CancellationToken.None);

        using var body = new MemoryStream("hello"u8.ToArray());
        await driver.PutAsync(StoragePath.Parse("/hello.txt"), body, 5, PutOptions.Default, CancellationToken.None);

        Assert.Equal("hello", File.ReadAllText(Path.Combine(configDirectory, "data", "sub", "hello.txt")));
    }

    [Fact]
    public async Task InitializeAsync_CreatesAMissingRoot()
    {
        var missing = Path.Combine(_root.Base, "first", "start");
        var driver = _factory.Create(LocalTestRoot.Addition(missing), _root.Context());
        await driver.InitializeAsync(CancellationToken.None);

        Assert.True(Directory.Exists(missing));
        Assert.True((await driver.StatAsync(StoragePath.Root, CancellationToken.None)).IsDirectory);
        Assert.Empty(Directory.GetFileSystemEntries(missing)); // the capability probe cleans up after itself
    }

    [Fact]
    public async Task InitializeAsync_OnAFile_IsUnavailableWithoutTheHostPath()
    {
        var file = Path.Combine(_root.Base, "a-file");
        File.WriteAllText(file, "x");
        var driver = _factory.Create(LocalTestRoot.Addition(file), _root.Context());

        var e = await Assert.ThrowsAsync<StorageException>(() => driver.InitializeAsync(CancellationToken.None));

        Assert.Equal(StorageErrorKind.Unavailable, e.Kind);
        Assert.Contains("/local", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_root.Base, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitializeAsync_BelowAFile_IsUnavailable()
    {
        var file = Path.Combine(_root.Base, "a-file");
        File.WriteAllText(file, "x");
        var driver = _factory.Create(LocalTestRoot.Addition(Path.Combine(file, "root")), _root.Context());

        var e = await Assert.ThrowsAsync<StorageException>(() => driver.InitializeAsync(CancellationToken.None));

        Assert.Equal(StorageErrorKind.Unavailable, e.Kind);
        Assert.DoesNotContain(_root.Base, e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InitializeAsync_ProbesWhatTheFileSystemKeeps()
    {
        var driver = await _root.CreateDriverAsync();

        Assert.NotNull(driver.Capabilities.ModTimePrecision);
        Assert.InRange(driver.Capabilities.ModTimePrecision!.Value, TimeSpan.FromTicks(1), TimeSpan.FromSeconds(2));
        Assert.Empty(driver.Capabilities.Hashes);
        Assert.True(driver.Capabilities.CanWrite);
        Assert.True(driver.Capabilities.EmptyDirectories);
        if (OperatingSystem.IsLinux())
        {
            Assert.False(driver.Capabilities.CaseInsensitive);
        }
    }
}
