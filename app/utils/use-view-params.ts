import { useLocation, useNavigate, useNavigation } from '@remix-run/react';
import { useCallback } from 'react';
import { canonicalParams, searchString } from './filter-url';

/**
 * The view's URL parameters as the reader last set them (the pending navigation's while the
 * server answers, so a ticked box stays ticked), and a way to change them: a navigation to the
 * canonical URL of the new view, which the back button and a reload bring back as it was.
 */
export function useViewParams(): [URLSearchParams, (next: URLSearchParams) => void] {
  const location = useLocation();
  const navigation = useNavigation();
  const navigate = useNavigate();
  const pending = navigation.location?.pathname === location.pathname ? navigation.location : null;
  const params = new URLSearchParams((pending ?? location).search);
  const setView = useCallback(
    (next: URLSearchParams) =>
      navigate(`${location.pathname}${searchString(canonicalParams(next))}`, { preventScrollReset: true }),
    [navigate, location.pathname],
  );
  return [params, setView];
}
