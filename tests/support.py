"""Constants the tests share across areas (importable from every test folder: tests/ is on sys.path)."""

TEST_PASSWORD = "Test-passord-æøå-2024"
