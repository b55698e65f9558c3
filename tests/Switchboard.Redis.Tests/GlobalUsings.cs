global using System.Diagnostics;
global using System.Net.WebSockets;
global using System.Text.Json;
global using Microsoft.Extensions.DependencyInjection;
global using StackExchange.Redis;
global using Switchboard.Redis.Tests.Infrastructure;
global using Switchboard.Specification.Tests;
global using Xunit.Abstractions;
