namespace OpenList.DriverHost.Drivers.PathIds;

/// <summary>An id-addressed cloud's object: its id and whether it is a folder.</summary>
public sealed record CloudNode(string Id, bool IsDirectory);
